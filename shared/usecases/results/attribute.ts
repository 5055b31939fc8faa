// Attribution as data arrives (docs/attribution.md). A run records each campaign × customer ×
// occasion it decides once, as treated or held out (`recordExposureUnits`); a contract or event that
// arrives is matched against each campaign's goal and given to the campaign's last touch of that
// customer and occasion within the goal's window (`attributeArrivals`). Both count into the results
// counters only when their once-only record is new. Reads are the customer's own partition: the
// ledger is never scanned, so the cost of an arrival does not grow with the ledger.
import { countsAsActivity } from '../../domain/activity.js';
import type { Contract, CustomerEvent, Settings } from '../../domain/documents.js';
import {
  type Arrival,
  anchoredContract,
  arrivalAt,
  arrivalCustomer,
  arrivalId,
  eventMatches,
  type Goal,
  groupOf,
  isExposure,
  lastTouchBefore,
  renews,
} from '../../domain/goals.js';
import type { CampaignRecord, Delivery, PlannedTouch } from '../../domain/touch.js';
import type { ExposureUnit, ResultGroup } from '../../ports/conversions.js';
import { COUNTERS, type CounterDimensions, type CounterIncrement } from '../../ports/results.js';
import type { Stores } from '../../store/stores.js';

export type ExposureStores = Pick<Stores, 'conversions' | 'results'>;
export type AttributionStores = Pick<
  Stores,
  'campaigns' | 'customers' | 'settings' | 'conversions' | 'results'
>;

const customersCounter = (g: ResultGroup): string =>
  g === 'treated' ? COUNTERS.treatedCustomers : COUNTERS.holdoutCustomers;
const conversionsCounter = (g: ResultGroup): string =>
  g === 'treated' ? COUNTERS.treatedConversions : COUNTERS.holdoutConversions;

const unitKey = (t: { campaignId: string; customerId: string; occasion: string }): string =>
  JSON.stringify([t.campaignId, t.customerId, t.occasion]);

const dimsOf = (
  t: Pick<PlannedTouch, 'campaignId' | 'dueDate' | 'stepId' | 'channel'> & { tier?: string; locale?: string },
): CounterDimensions => ({
  campaignId: t.campaignId,
  day: t.dueDate,
  stepId: t.stepId,
  channel: t.channel,
  tier: t.tier ?? '',
  locale: t.locale ?? '',
});

/**
 * The touch that opens each unit a run decided: of `touches` (planned or suppressed, in planning
 * order; `paused` decided nothing), the first of each campaign × customer × occasion. Its group and
 * dimensions are the unit's.
 */
export function unitOpeners<T extends PlannedTouch>(touches: readonly T[]): Set<T> {
  const first = new Map<string, T>();
  for (const t of touches) {
    // already-sent touches are the ledger's own rows: their unit was recorded by the run that sent them.
    if (!isExposure(t) || t.reason === 'already-sent') continue;
    if (!first.has(unitKey(t))) first.set(unitKey(t), t);
  }
  return new Set(first.values());
}

/** The unit `t` opens, recorded at `at`. */
export const exposureUnit = (
  t: Parameters<typeof dimsOf>[0] &
    Pick<PlannedTouch, 'customerId' | 'occasion'> & { status: string; reason?: string },
  at: string,
): ExposureUnit => ({
  campaignId: t.campaignId,
  customerId: t.customerId,
  occasion: t.occasion,
  group: groupOf(t),
  dims: dimsOf(t),
  at,
});

/**
 * Records units, each once (a conditional write: a rerun or a retried batch counts nobody twice),
 * and counts the new ones in their group. PlanRun records the units its suppressed and held-out
 * touches open; SendBatch each of those its batch's touches open, as it reaches the touch
 * (plan-run.ts, `opensUnits`).
 */
export async function recordExposureUnits(
  store: ExposureStores,
  units: readonly ExposureUnit[],
): Promise<void> {
  if (units.length === 0) return;
  const fresh = await store.conversions.recordUnits(units);
  const increments: CounterIncrement[] = units.flatMap((u, j) =>
    fresh[j] ? [{ ...u.dims, counts: { [customersCounter(u.group)]: 1 } }] : [],
  );
  if (increments.length > 0) await store.results.add(increments);
}

/** Picks the attribution stores out of a set that may hold only some (tests that build a few). */
export function attributionStores(store: Partial<AttributionStores>): AttributionStores | undefined {
  const { campaigns, customers, settings, conversions, results } = store;
  return campaigns && customers && settings && conversions && results
    ? { campaigns, customers, settings, conversions, results }
    : undefined;
}

/** What a call attributed (tests and logs). */
export interface AttributionOutcome {
  conversions: number;
}

type GoalCampaign = { campaign: CampaignRecord['campaign'] & { goal: Goal }; stepOrder: string[] };

/**
 * Attributes arriving contracts (written at `at`) and new events: for each campaign with a goal they
 * meet, the campaign's last touch of the customer within the window takes the conversion, once per
 * campaign × customer × occasion.
 */
export async function attributeArrivals(
  store: AttributionStores,
  input: { contracts?: readonly Contract[]; events?: readonly CustomerEvent[]; at: string },
): Promise<AttributionOutcome> {
  const goals: GoalCampaign[] = [];
  for (const r of await store.campaigns.listCampaigns()) {
    const { goal } = r.campaign;
    if (goal) goals.push({ campaign: { ...r.campaign, goal }, stepOrder: r.campaign.steps.map((s) => s.id) });
  }
  if (goals.length === 0) return { conversions: 0 };
  const events = input.events ?? [];
  const contracts = input.contracts ?? [];
  let settings: Settings | undefined;
  if (events.length > 0 && goals.some((g) => g.campaign.goal.type === 'activity'))
    settings = await store.settings.getSettings();
  const arrivals: Arrival[] = [
    ...contracts.map((contract): Arrival => ({ kind: 'contract', contract, at: input.at })),
    ...events.map(
      (event): Arrival => ({
        kind: 'event',
        event,
        countsAsActivity: settings !== undefined && countsAsActivity(event.type, settings),
      }),
    ),
  ];
  const reads = new ArrivalReads(store);
  let conversions = 0;
  for (const arrival of arrivals) {
    for (const g of goals) if (await attributeOne(store, reads, g, arrival)) conversions++;
  }
  return { conversions };
}

/** Reads one call makes, each once: a customer's zone, their rows of a campaign, a contract's product. */
class ArrivalReads {
  private readonly zones = new Map<string, Promise<string | undefined>>();
  private readonly rows = new Map<string, Promise<Delivery[]>>();
  private readonly products = new Map<string, Promise<string | undefined>>();
  constructor(private readonly store: AttributionStores) {}

  zone(customerId: string): Promise<string | undefined> {
    return memo(
      this.zones,
      customerId,
      async () => (await this.store.customers.getCustomer(customerId))?.timeZone,
    );
  }
  touches(customerId: string, campaignId: string): Promise<Delivery[]> {
    return memo(this.rows, JSON.stringify([customerId, campaignId]), () =>
      this.store.conversions.campaignTouches(customerId, campaignId),
    );
  }
  product(contractId: string): Promise<string | undefined> {
    return memo(
      this.products,
      contractId,
      async () => (await this.store.customers.getContract(contractId))?.product,
    );
  }
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = load();
    cache.set(key, p);
  }
  return p;
}

async function attributeOne(
  store: AttributionStores,
  reads: ArrivalReads,
  { campaign, stepOrder }: GoalCampaign,
  arrival: Arrival,
): Promise<boolean> {
  const { goal } = campaign;
  if (arrival.kind === 'event' ? !eventMatches(goal, arrival) : goal.type !== 'contractRenewed') return false;
  const customerId = arrivalCustomer(arrival);
  const timeZone = await reads.zone(customerId);
  if (timeZone === undefined) return false;
  let rows = await reads.touches(customerId, campaign.id);
  if (arrival.kind === 'contract') rows = await renewedRows(reads, rows, arrival.contract);
  const touch = lastTouchBefore(rows, arrivalAt(arrival), goal.withinDays, timeZone, stepOrder);
  if (!touch) return false;
  const unit = await unitOf(store, touch, arrivalAt(arrival));
  const recorded = await store.conversions.recordConversion({
    campaignId: campaign.id,
    customerId,
    occasion: touch.occasion,
    group: unit.group,
    sourceId: arrivalId(arrival),
    at: arrivalAt(arrival),
    touch: {
      campaignId: touch.campaignId,
      stepId: touch.stepId,
      customerId: touch.customerId,
      channel: touch.channel,
      occasion: touch.occasion,
    },
    dims: unit.dims,
  });
  if (!recorded) return false;
  const increments: CounterIncrement[] = [{ ...unit.dims, counts: { [conversionsCounter(unit.group)]: 1 } }];
  // The funnel's last step: conversions whose touch went out.
  if (touch.status === 'sent') increments.push({ ...dimsOf(touch), counts: { [COUNTERS.converted]: 1 } });
  await store.results.add(increments);
  return true;
}

/** The rows whose anchored contract (`<id>:<end>` occasions) `contract` renews. */
async function renewedRows(
  reads: ArrivalReads,
  rows: readonly Delivery[],
  contract: Contract,
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const row of rows) {
    const anchored = anchoredContract(row.occasion);
    if (!anchored) continue;
    const product =
      anchored.contractId === contract.id ? undefined : await reads.product(anchored.contractId);
    if (renews(contract, anchored, product)) out.push(row);
  }
  return out;
}

/**
 * The unit a touch belongs to. A run records it; rows written before attribution existed have none,
 * and get one now, counted like a run's.
 */
async function unitOf(store: AttributionStores, touch: Delivery, now: string): Promise<ExposureUnit> {
  const found = await store.conversions.getUnit(touch.campaignId, touch.customerId, touch.occasion);
  if (found) return found;
  const unit = exposureUnit(touch, now);
  if (await store.conversions.recordUnit(unit))
    await store.results.add([{ ...unit.dims, counts: { [customersCounter(unit.group)]: 1 } }]);
  return (await store.conversions.getUnit(touch.campaignId, touch.customerId, touch.occasion)) ?? unit;
}
