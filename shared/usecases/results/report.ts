// report: did the outreach work? The contract's results JSON (CONTRACT.md "Results") from the
// aggregate counters alone (shared/ports/results.ts): per campaign, one Query over its counter rows
// for the days asked, so the items read grow with days × steps × channels × tiers × locales, never
// with the ledger (bench/report.ts measures it). docs/results.md says what each number means.
import { MAX_YEAR, MIN_YEAR } from '../../domain/limits.js';
import { fromMicros, resolvePrices, roundAmount } from '../../domain/prices.js';
import { groupResult, uplift } from '../../domain/uplift.js';
import type { CampaignStore } from '../../ports/campaigns.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import {
  COUNTERS,
  type CounterRow,
  type ResultCounters,
  SUPPRESSED_PREFIX,
  sumCounts,
} from '../../ports/results.js';
import type { SettingsStore } from '../../ports/settings.js';
import {
  type CampaignDetail,
  type CampaignReport,
  type Funnel,
  type ResultsReport,
  reportGoalSchema,
} from './schemas.js';

export interface ReportDeps {
  results: ResultCounters;
  campaigns: Pick<CampaignStore, 'getCampaign' | 'listCampaigns'>;
  /** For the prices' currency: the counters hold cost in its millionths (docs/cost.md). */
  settings: Pick<SettingsStore, 'getSettings'>;
  clock?: Clock;
}

export interface ReportInput {
  campaignId?: string | undefined;
  /** First and last due day (YYYY-MM-DD, inclusive); absent: the span of the data. */
  from?: string | undefined;
  to?: string | undefined;
}

/** A campaign neither stored nor counted: the API answers 404, the CLI exits 1. */
export class UnknownCampaignError extends Error {
  constructor(readonly campaignId: string) {
    super(`campaign ${campaignId} does not exist`);
    this.name = 'UnknownCampaignError';
  }
}

/** `from` after `to`: refused before anything is read. */
export class ReportRangeError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`from (${from}) is after to (${to})`);
    this.name = 'ReportRangeError';
  }
}

const FIRST_DAY = `${MIN_YEAR}-01-01`;
const LAST_DAY = `${MAX_YEAR}-12-31`;
const n = (counts: Record<string, number>, name: string): number => counts[name] ?? 0;

export function funnelOf(counts: Record<string, number>): Funnel {
  const suppressed: Record<string, number> = {};
  for (const [name, value] of Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)))
    if (name.startsWith(SUPPRESSED_PREFIX) && value !== 0)
      suppressed[name.slice(SUPPRESSED_PREFIX.length)] = value;
  return {
    planned: n(counts, COUNTERS.planned),
    suppressed,
    sent: n(counts, COUNTERS.sent),
    delivered: n(counts, COUNTERS.delivered),
    bounced: n(counts, COUNTERS.bounced),
    complained: n(counts, COUNTERS.complained),
    opened: n(counts, COUNTERS.opened),
    clicked: n(counts, COUNTERS.clicked),
    unsubscribed: n(counts, COUNTERS.unsubscribed),
  };
}

function campaignReport(
  currency: string,
  campaignId: string,
  goal: unknown,
  rows: readonly CounterRow[],
): CampaignReport {
  const counts = sumCounts(rows);
  const treated = groupResult({
    customers: n(counts, COUNTERS.treatedCustomers),
    conversions: n(counts, COUNTERS.treatedConversions),
  });
  const holdout = groupResult({
    customers: n(counts, COUNTERS.holdoutCustomers),
    conversions: n(counts, COUNTERS.holdoutConversions),
  });
  // What was sent and the run's share of infrastructure, both counted in millionths as they happened.
  const total = roundAmount(fromMicros(n(counts, COUNTERS.costMessages) + n(counts, COUNTERS.costInfra)));
  const parsedGoal = reportGoalSchema.safeParse(goal);
  return {
    campaignId,
    goal: parsedGoal.success ? parsedGoal.data : null,
    funnel: funnelOf(counts),
    treated,
    holdout,
    uplift: uplift(treated, holdout),
    cost: {
      currency,
      total,
      perConversion: treated.conversions > 0 ? roundAmount(total / treated.conversions) : null,
    },
  };
}

/** The campaign's declared goal, read without depending on the document's type (a campaign may have none). */
function goalOf(campaign: object | undefined): unknown {
  return campaign !== undefined && 'goal' in campaign ? campaign.goal : undefined;
}

const currencyOf = async (deps: ReportDeps): Promise<string> =>
  resolvePrices((await deps.settings.getSettings()).prices).currency;

const today = (clock: Clock): string => clock.now().toISOString().slice(0, 10);

function span(rows: readonly CounterRow[], input: ReportInput, clock: Clock): { from: string; to: string } {
  const days = rows.map((r) => r.day).sort();
  const now = today(clock);
  const from = input.from ?? days[0] ?? input.to ?? now;
  // With no data, up to today, or to `from` when it is later (a range is never reversed).
  const to = input.to ?? days[days.length - 1] ?? [from, now].sort()[1] ?? now;
  return { from, to };
}

async function readRows(deps: ReportDeps, input: ReportInput): Promise<CounterRow[]> {
  if (input.from !== undefined && input.to !== undefined && input.from > input.to)
    throw new ReportRangeError(input.from, input.to);
  return deps.results.read({
    ...(input.campaignId !== undefined && { campaignId: input.campaignId }),
    from: input.from ?? FIRST_DAY,
    to: input.to ?? LAST_DAY,
  });
}

/** The contract's report: every campaign (or the one asked) over the days asked. */
export async function buildReport(deps: ReportDeps, input: ReportInput = {}): Promise<ResultsReport> {
  const clock = deps.clock ?? systemClock;
  const rows = await readRows(deps, input);
  const goals = new Map<string, unknown>();
  if (input.campaignId !== undefined) {
    const record = await deps.campaigns.getCampaign(input.campaignId);
    if (record === undefined && rows.length === 0) throw new UnknownCampaignError(input.campaignId);
    goals.set(input.campaignId, goalOf(record?.campaign));
  } else {
    for (const record of await deps.campaigns.listCampaigns())
      goals.set(record.campaign.id, goalOf(record.campaign));
    for (const row of rows) if (!goals.has(row.campaignId)) goals.set(row.campaignId, undefined);
  }
  const byCampaign = new Map<string, CounterRow[]>();
  for (const row of rows) {
    const list = byCampaign.get(row.campaignId) ?? [];
    list.push(row);
    byCampaign.set(row.campaignId, list);
  }
  const currency = await currencyOf(deps);
  const campaigns = [...goals.keys()]
    .sort()
    .map((id) => campaignReport(currency, id, goals.get(id), byCampaign.get(id) ?? []));
  return { ...span(rows, input, clock), campaigns };
}

/** One campaign: its report, and its counters by day and by step × channel × tier × locale. */
export async function buildCampaignDetail(
  deps: ReportDeps,
  input: ReportInput & { campaignId: string },
): Promise<CampaignDetail> {
  const clock = deps.clock ?? systemClock;
  const rows = await readRows(deps, input);
  const record = await deps.campaigns.getCampaign(input.campaignId);
  if (record === undefined && rows.length === 0) throw new UnknownCampaignError(input.campaignId);
  const campaign = campaignReport(await currencyOf(deps), input.campaignId, goalOf(record?.campaign), rows);
  const byDay = new Map<string, CounterRow[]>();
  const byKey = new Map<
    string,
    { stepId: string; channel: string; tier: string; locale: string; rows: CounterRow[] }
  >();
  for (const row of rows) {
    const day = byDay.get(row.day) ?? [];
    day.push(row);
    byDay.set(row.day, day);
    const key = JSON.stringify([row.stepId, row.channel, row.tier, row.locale]);
    const entry = byKey.get(key) ?? {
      stepId: row.stepId,
      channel: row.channel,
      tier: row.tier,
      locale: row.locale,
      rows: [],
    };
    entry.rows.push(row);
    byKey.set(key, entry);
  }
  return {
    ...span(rows, input, clock),
    campaign,
    days: [...byDay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, r]) => ({ day, counts: sumCounts(r) })),
    breakdown: [...byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, { rows: r, ...dims }]) => ({ ...dims, counts: sumCounts(r) })),
  };
}
