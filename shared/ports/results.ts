// The results counters (docs/cost.md, docs/results.md): aggregate items per campaign, day, step,
// channel, tier and locale, ADDed to on each write (plan outcome, send settle, delivery feedback,
// unsubscribe, conversion). A report reads a number of items that depends on days × steps, never
// on the ledger's size: it never scans.

/**
 * The counters' names. Funnel counters first (what the run and the return path write), then the
 * result counters R2's attribution writes. Suppressions are `suppressed.<reason>`.
 */
export const COUNTERS = {
  planned: 'planned',
  sent: 'sent',
  delivered: 'delivered',
  bounced: 'bounced',
  complained: 'complained',
  opened: 'opened',
  clicked: 'clicked',
  unsubscribed: 'unsubscribed',
  /** Conversions attributed to a sent touch (funnel's last step). */
  converted: 'converted',
  treatedCustomers: 'treated.customers',
  treatedConversions: 'treated.conversions',
  holdoutCustomers: 'holdout.customers',
  holdoutConversions: 'holdout.conversions',
  /** Run outcomes that are neither sent nor suppressed. */
  failed: 'failed',
  expired: 'expired',
  unknown: 'unknown',
  /** Cost of the messages sent, in millionths of the prices' currency (shared/domain/prices.ts). */
  costMessages: 'cost.messages',
  /** The run's infrastructure cost, shared out over its touches, in millionths of the currency. */
  costInfra: 'cost.infra',
} as const;

/** The counter a suppressed touch adds to: `suppressed.<reason>`. */
export const SUPPRESSED_PREFIX = 'suppressed.';
export const suppressedCounter = (reason: string): string => `${SUPPRESSED_PREFIX}${reason}`;

/** The dimensions a counter row is kept by. `day` is the touch's due day (YYYY-MM-DD, its local date). */
export interface CounterDimensions {
  campaignId: string;
  day: string;
  stepId: string;
  channel: string;
  tier: string;
  locale: string;
}

/** Adds `counts` (each a positive or negative integer) to the row of these dimensions. */
export interface CounterIncrement extends CounterDimensions {
  counts: Record<string, number>;
}

/** One aggregate row as read back: every counter ever added to it. */
export interface CounterRow extends CounterDimensions {
  counts: Record<string, number>;
}

/** Rows of one campaign (or every campaign when absent), days in [from, to] inclusive (YYYY-MM-DD). */
export interface CounterQuery {
  campaignId?: string;
  from: string;
  to: string;
}

export interface AddOptions {
  /**
   * Applies these increments at most once for this key (e.g. `run#<runId>`): a retry of the same
   * call (same key, same increments) adds nothing. The store keeps a marker per key and applies the
   * increments in the same transaction(s) as the marker.
   */
  once?: string;
}

export interface ResultCounters {
  /**
   * Adds each increment to its row (created on first use). Increments of the same dimensions are
   * merged first, so one call writes each row once. Not idempotent: callers count an outcome once,
   * at the write that made it happen (a conditional write that succeeded).
   */
  add(increments: readonly CounterIncrement[], opts?: AddOptions): Promise<void>;
  /** The rows in range, ordered by campaign, day, then step, channel, tier, locale. */
  read(q: CounterQuery): Promise<CounterRow[]>;
}

/** Merges increments of the same dimensions, dropping zero counts and empty rows. */
export function mergeIncrements(increments: readonly CounterIncrement[]): CounterIncrement[] {
  const byKey = new Map<string, CounterIncrement>();
  for (const inc of increments) {
    const k = dimensionKey(inc);
    const row = byKey.get(k) ?? { ...dimensionsOf(inc), counts: {} };
    for (const [name, n] of Object.entries(inc.counts)) {
      if (!Number.isInteger(n) || n === 0) continue;
      row.counts[name] = (row.counts[name] ?? 0) + n;
    }
    byKey.set(k, row);
  }
  return [...byKey.values()]
    .map((r) => ({ ...r, counts: Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n !== 0)) }))
    .filter((r) => Object.keys(r.counts).length > 0);
}

export const dimensionsOf = (d: CounterDimensions): CounterDimensions => ({
  campaignId: d.campaignId,
  day: d.day,
  stepId: d.stepId,
  channel: d.channel,
  tier: d.tier,
  locale: d.locale,
});

/** A stable identity of a row's dimensions (the store's sort key after the day). */
export const dimensionKey = (d: CounterDimensions): string =>
  JSON.stringify([d.campaignId, d.day, d.stepId, d.channel, d.tier, d.locale]);

/** Sums the counts of rows (e.g. a campaign's rows into its totals). */
export function sumCounts(rows: readonly { counts: Record<string, number> }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) for (const [k, n] of Object.entries(r.counts)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/**
 * The cost the counts hold, in units of the prices' currency (6 decimals): messages sent plus the
 * runs' infrastructure shared out over their touches (docs/cost.md). Per conversion: divide by the
 * conversions (treated ones: what the outreach paid for).
 */
export function costFromCounts(counts: Record<string, number>): number {
  const micros = (counts[COUNTERS.costMessages] ?? 0) + (counts[COUNTERS.costInfra] ?? 0);
  return Math.round(micros) / 1_000_000;
}
