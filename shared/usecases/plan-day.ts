// Plans local date D: reads only what is due through the day indexes, then hands the pure planner
// everything it needs (ledger rows, cap counts, suppressed addresses) so it makes no I/O itself.
import { customerAddress } from '../domain/addresses.js';
import {
  contractOccurrences,
  customerOccurrences,
  type DueQuery,
  dueQuery,
  eventOccurrences,
} from '../domain/anchors.js';
import { addDays } from '../domain/calendar.js';
import type { Anchor, Channel, Customer, CustomerEvent, Settings } from '../domain/documents.js';
import { type CampaignToPlan, candidateKeys, planDay } from '../domain/planner.js';
import { type CampaignRecord, capDate, type Occurrence, type PlannedTouch } from '../domain/touch.js';
import type { IndexedContract } from '../ports/due.js';
import type { Stores } from '../store/stores.js';
import { mapLimit } from '../store/table.js';

/**
 * Frequency-cap reads in flight at once. A day of 100,000 touches is 100,000 Queries: unbounded,
 * they queued behind the SDK's 50 sockets and held every promise at once (bench: run --touches).
 */
const PARALLEL_CAP_READS = 48;

export class UnknownCampaignError extends Error {
  constructor(readonly campaignId: string) {
    super(`no campaign with id ${campaignId}`);
    this.name = 'UnknownCampaignError';
  }
}

export interface PlanDayCommand {
  date: string;
  campaignId?: string;
  /**
   * Catch-up (docs/scheduling.md): the touches keep `date` as their due date and occasion, but are
   * timed into the send window of this later local date, so nothing goes out outside a window, and
   * frequency caps count them on it (the day they go out, `sendDate`).
   */
  sendOn?: string;
  /** Touches the same run planned for other dates: they count for frequency caps like sent ones. */
  alreadyPlanned?: readonly PlannedTouch[];
  /** Only campaigns with these anchor types (the intraday run, docs/scheduling.md); all if absent. */
  anchorTypes?: readonly Anchor['type'][];
}

/** The ports planning reads. */
export type PlanStores = Pick<Stores, 'campaigns' | 'due' | 'ledger' | 'settings' | 'suppression'>;
export type PlanDayDeps = { store: PlanStores };

/** The campaigns a run plans, in the contract's order (priority desc, then id). */
export async function campaignsToRun(
  store: Pick<Stores, 'campaigns'>,
  campaignId?: string,
): Promise<CampaignRecord[]> {
  const all = await store.campaigns.listCampaigns();
  const chosen = campaignId ? all.filter((r) => r.campaign.id === campaignId) : all;
  if (campaignId && chosen.length === 0) throw new UnknownCampaignError(campaignId);
  return chosen.sort(
    (a, b) => b.campaign.priority - a.campaign.priority || a.campaign.id.localeCompare(b.campaign.id),
  );
}

const queryKey = (q: DueQuery): string =>
  q.kind === 'event'
    ? `event|${q.eventType}|${q.day}`
    : q.kind === 'birthday'
      ? `birthday|${q.day}`
      : `${q.kind}|${q.day}`;

// Customer anchors come with their profiles (the day index carries them); contracts and events
// name a customer whose profile is read by id.
type RawDue =
  | { kind: 'contracts'; contracts: IndexedContract[] }
  | { kind: 'customers'; customers: Customer[] }
  | { kind: 'events'; events: CustomerEvent[] };

async function readDue(store: Pick<Stores, 'due'>, q: DueQuery): Promise<RawDue> {
  switch (q.kind) {
    case 'contractEnd':
      return { kind: 'contracts', contracts: await store.due.contractsEndingOn(q.day) };
    case 'contractStart':
      return { kind: 'contracts', contracts: await store.due.contractsStartingOn(q.day) };
    case 'lastActivity':
      return { kind: 'customers', customers: await store.due.profilesLastActiveOn(q.day) };
    case 'birthday': {
      const lists = await Promise.all(q.monthDays.map((md) => store.due.profilesBornOn(md)));
      return { kind: 'customers', customers: [...new Map(lists.flat().map((c) => [c.id, c])).values()] };
    }
    case 'event':
      return { kind: 'events', events: await store.due.eventsOn(q.eventType, q.day) };
  }
}

/** The customers a contract or event names, whose profiles are still to be read. */
const namedCustomerIdsOf = (raw: RawDue): string[] =>
  raw.kind === 'customers'
    ? []
    : raw.kind === 'contracts'
      ? raw.contracts.map((c) => c.customerId)
      : raw.events.map((e) => e.customerId);

/** Every profile the due reads name: those the customer indexes returned, then the others by id. */
async function dueCustomers(
  store: Pick<Stores, 'due'>,
  raws: readonly RawDue[],
): Promise<Map<string, Customer>> {
  const customers = new Map<string, Customer>();
  for (const raw of raws) if (raw.kind === 'customers') for (const c of raw.customers) customers.set(c.id, c);
  const named = [...new Set(raws.flatMap(namedCustomerIdsOf))].filter((id) => !customers.has(id));
  if (named.length > 0) for (const [id, c] of await store.due.getCustomers(named)) customers.set(id, c);
  return customers;
}

function occurrencesOf(
  q: DueQuery,
  raw: RawDue,
  record: CampaignRecord,
  customers: Map<string, Customer>,
  feb29: Settings['feb29'],
): Occurrence[] {
  switch (raw.kind) {
    case 'contracts':
      return contractOccurrences(record.campaign.anchor, q, raw.contracts, customers);
    case 'customers':
      return customerOccurrences(q, raw.customers, feb29);
    case 'events':
      return eventOccurrences(q, raw.events, customers);
  }
}

export async function planDayTouches(deps: PlanDayDeps, cmd: PlanDayCommand): Promise<PlannedTouch[]> {
  const { store } = deps;
  const [settings, allRecords] = await Promise.all([
    store.settings.getSettings(),
    campaignsToRun(store, cmd.campaignId),
  ]);
  const { anchorTypes } = cmd;
  const records = anchorTypes
    ? allRecords.filter((r) => anchorTypes.includes(r.campaign.anchor.type))
    : allRecords;

  // One read per distinct index day, however many campaigns and steps share it.
  const queries = new Map<string, DueQuery>();
  const stepQueries = records.map((r) =>
    r.campaign.steps.map((step) => {
      const q = dueQuery(r.campaign.anchor, step.offsetDays, cmd.date, settings.feb29);
      queries.set(queryKey(q), q);
      return q;
    }),
  );
  const rawByKey = new Map<string, RawDue>();
  await Promise.all(
    [...queries].map(async ([key, q]) => {
      rawByKey.set(key, await readDue(store, q));
    }),
  );
  const customers = await dueCustomers(store, [...rawByKey.values()]);

  const plans: CampaignToPlan[] = records.map((record, i) => {
    const dueByStep = new Map<string, Occurrence[]>();
    record.campaign.steps.forEach((step, j) => {
      const q = stepQueries[i]?.[j];
      const raw = q && rawByKey.get(queryKey(q));
      if (q && raw) dueByStep.set(step.id, occurrencesOf(q, raw, record, customers, settings.feb29));
    });
    return { campaign: record.campaign, paused: record.paused, dueByStep };
  });

  const keys = candidateKeys(plans, settings);
  const maxPerDays = Math.max(1, ...records.map((r) => r.campaign.frequencyCap?.perDays ?? 1));
  // Caps count each message on the day it goes out: the windows end on the send day.
  const sendDate = cmd.sendOn ?? cmd.date;
  const from = addDays(sendDate, -(maxPerDays - 1));
  // Only a campaign with a frequency cap reads what a customer already got: a day without capped
  // campaigns reads no cap at all (the planner asks for counted dates only under a cap).
  const capped = new Set(records.filter((r) => r.campaign.frequencyCap).map((r) => r.campaign.id));
  const capPairs = new Map<string, { customerId: string; channel: Channel }>();
  for (const k of keys)
    if (capped.has(k.campaignId))
      capPairs.set(`${k.customerId}|${k.channel}`, { customerId: k.customerId, channel: k.channel });
  const addresses = new Set<string>();
  for (const k of keys) {
    const customer = customers.get(k.customerId);
    const address = customer && safeAddress(customer, k.channel);
    if (address) addresses.add(address);
  }

  const [ledger, suppressedAddresses, counted] = await Promise.all([
    store.ledger.getDeliveries(keys),
    store.suppression.suppressedAmong([...addresses]),
    mapLimit(
      [...capPairs],
      PARALLEL_CAP_READS,
      async ([pair, p]) =>
        [pair, await store.ledger.countedDueDates(p.customerId, p.channel, from, sendDate)] as const,
    ),
  ]);
  const countedByPair = new Map(counted);
  for (const t of cmd.alreadyPlanned ?? []) {
    if (t.status !== 'planned') continue;
    const pair = `${t.customerId}|${t.channel}`;
    countedByPair.set(pair, [...(countedByPair.get(pair) ?? []), capDate(t)]);
  }

  return planDay({
    date: cmd.date,
    sendDate,
    settings,
    campaigns: plans,
    ledger,
    suppressedAddresses,
    countedDueDates: (customerId, channel) => countedByPair.get(`${customerId}|${channel}`) ?? [],
  });
}

/** Stored addresses were validated on import; a bad one is treated as no address rather than failing a run. */
function safeAddress(customer: Customer, channel: Channel): string | undefined {
  try {
    return customerAddress(customer, channel);
  } catch {
    return undefined;
  }
}
