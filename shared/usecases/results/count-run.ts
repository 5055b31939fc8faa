// A run's outcomes into the results counters (docs/cost.md). Each touch adds `planned` and its
// outcome to its row (campaign × due day × step × channel × tier × locale); a sent touch adds its
// message price. SendBatch counts its batch's touches when it records their results (once per batch);
// SummarizeRun counts the rest when the run completes (touches suppressed at planning, batches that
// failed) and shares the run's infrastructure cost out over all its touches (once per run).
// Touches the ledger already held (`already-sent`) are another run's and count nowhere here.
import { pricingCountry } from '../../domain/phone-country.js';
import {
  messagePrice,
  type Prices,
  type RunShape,
  resolvePrices,
  roundAmount,
  runInfraCost,
  type SmsType,
  toMicros,
} from '../../domain/prices.js';
import type { PlannedTouch } from '../../domain/touch.js';
import { COUNTERS, type CounterIncrement, suppressedCounter } from '../../ports/results.js';
import type { Stores } from '../../store/stores.js';

/** The counts a run adds, per campaign, as the RunCompleted event carries them. */
export interface CampaignRunCounts {
  planned: number;
  sent: number;
  failed: number;
  expired: number;
  unknown: number;
  suppressed: Record<string, number>;
}

export interface RunCost {
  currency: string;
  /** Messages plus infrastructure, in `currency` (6 decimals). */
  total: number;
  messages: number;
  infra: number;
  pricesAsOf: string;
}

export interface RunCounts {
  campaigns: Record<string, CampaignRunCounts>;
  cost: RunCost;
}

/** A touch as the run report gives it: its plan, and what the send made of it. */
export type CountedTouch = Pick<
  PlannedTouch,
  'campaignId' | 'stepId' | 'channel' | 'tier' | 'locale' | 'dueDate' | 'status' | 'reason' | 'address'
> & {
  outcome: string;
  outcomeReason?: string;
};

/** Whether the run's touch is its own news: a key the ledger already held counts where it was first recorded. */
const counted = (t: CountedTouch): boolean => (t.outcomeReason ?? t.reason) !== 'already-sent';

const emptyCounts = (): CampaignRunCounts => ({
  planned: 0,
  sent: 0,
  failed: 0,
  expired: 0,
  unknown: 0,
  suppressed: {},
});

/** The message price of a sent touch (an SMS by its destination's country, one part). */
export function touchPrice(
  prices: Prices,
  t: Pick<CountedTouch, 'channel' | 'address'>,
  smsType: SmsType,
): number {
  if (t.channel === 'email') return messagePrice(prices, { channel: 'email' });
  const country = t.address !== undefined ? pricingCountry(t.address) : undefined;
  return messagePrice(prices, { channel: 'sms', country, type: smsType });
}

/**
 * The increments and per-campaign counts of a run's touches. Pure: the same touches give the same
 * increments. `batches` is the run's number of send batches (its infrastructure cost depends on it).
 */
export function runIncrements(
  touches: readonly CountedTouch[],
  opts: {
    prices: Prices;
    batches: number;
    smsTypeOf: (campaignId: string) => SmsType;
    /** Whether the increments carry this touch's outcome (default all); infrastructure shares always. */
    withOutcome?: (t: CountedTouch) => boolean;
    /** Leave the run's infrastructure out (a batch's own count: SummarizeRun adds it). */
    noInfra?: boolean;
  },
): { increments: CounterIncrement[]; counts: RunCounts } {
  const own = touches.filter(counted);
  const campaigns: Record<string, CampaignRunCounts> = {};
  const increments: CounterIncrement[] = [];
  let messageMicros = 0;
  let sends = 0;
  let suppressedTotal = 0;
  for (const t of own) {
    const c = campaigns[t.campaignId] ?? emptyCounts();
    campaigns[t.campaignId] = c;
    const counts: Record<string, number> = { [COUNTERS.planned]: 1 };
    c.planned += 1;
    if (t.outcome === 'suppressed') {
      const reason = t.outcomeReason ?? t.reason ?? 'unknown';
      counts[suppressedCounter(reason)] = 1;
      c.suppressed[reason] = (c.suppressed[reason] ?? 0) + 1;
      suppressedTotal += 1;
    } else if (t.outcome === 'sent') {
      const micros = toMicros(touchPrice(opts.prices, t, opts.smsTypeOf(t.campaignId)));
      counts[COUNTERS.sent] = 1;
      counts[COUNTERS.costMessages] = micros;
      messageMicros += micros;
      c.sent += 1;
      sends += 1;
    } else if (t.outcome === 'failed' || t.outcome === 'expired' || t.outcome === 'unknown') {
      counts[t.outcome] = 1;
      c[t.outcome] += 1;
    }
    const withOutcome = opts.withOutcome?.(t) ?? true;
    increments.push({ ...dimensionsOfTouch(t), counts: withOutcome ? counts : {} });
  }
  const shape: RunShape = { batches: opts.batches, sends, suppressed: suppressedTotal };
  const infraMicros = opts.noInfra ? 0 : toMicros(runInfraCost(opts.prices, shape));
  // The run's infrastructure, shared out over its touches (the remainder goes to the first ones).
  if (increments.length > 0) {
    const each = Math.floor(infraMicros / increments.length);
    const rest = infraMicros - each * increments.length;
    increments.forEach((inc, i) => {
      const share = each + (i < rest ? 1 : 0);
      if (share > 0) inc.counts[COUNTERS.costInfra] = share;
    });
  }
  const infra = increments.length > 0 ? infraMicros : 0;
  return {
    increments,
    counts: {
      campaigns,
      cost: {
        currency: opts.prices.currency,
        total: roundAmount((messageMicros + infra) / 1e6),
        messages: roundAmount(messageMicros / 1e6),
        infra: roundAmount(infra / 1e6),
        pricesAsOf: opts.prices.asOf,
      },
    },
  };
}

/** A touch's (or ledger row's) counter dimensions: its campaign, due day, step, channel, tier and locale. */
export const dimensionsOfTouch = (
  t: Pick<CountedTouch, 'campaignId' | 'stepId' | 'channel' | 'dueDate'> & {
    tier?: string | undefined;
    locale?: string | undefined;
  },
) => ({
  campaignId: t.campaignId,
  day: t.dueDate,
  stepId: t.stepId,
  channel: t.channel,
  tier: t.tier || '-',
  locale: t.locale || '-',
});

export type CountRunStores = Pick<Stores, 'results'> & {
  settings: Pick<Stores['settings'], 'getSettings'>;
  campaigns: Pick<Stores['campaigns'], 'getCampaign'>;
};

/**
 * A touch whose outcome SendBatch counted already (docs/cost.md): a batch counts its own touches when
 * it records their results. SummarizeRun counts the rest: touches suppressed at planning (`status`
 * suppressed, never in a batch) and those of batches that failed before recording results.
 */
const countedByItsBatch = (t: CountedTouch): boolean =>
  t.status === 'planned' && t.outcomeReason !== BATCH_FAILED_REASON;

/** The reason SummarizeRun gives touches of a batch that failed before recording results (summarize-run.ts). */
export const BATCH_FAILED_REASON = 'batch-failed';

/**
 * Counts a completed run into the results counters, once per run: the touches no batch counted, and
 * the run's infrastructure over all its touches. Returns the whole run's counts (RunCompleted's).
 */
export async function countRun(
  deps: { store: CountRunStores },
  run: { runId: string; touches: readonly CountedTouch[]; batches: number },
): Promise<RunCounts> {
  const settings = await deps.store.settings.getSettings();
  const prices = resolvePrices(settings.prices);
  const smsTypeOf = await smsTypesOf(deps.store.campaigns, run.touches);
  const { increments, counts } = runIncrements(run.touches, {
    prices,
    batches: run.batches,
    smsTypeOf,
    withOutcome: (t) => !countedByItsBatch(t),
  });
  await deps.store.results.add(increments, { once: `run#${run.runId}` });
  return counts;
}

/**
 * Counts a send batch's touches with their outcomes as soon as the batch has recorded them, once per
 * batch (a retried SendBatch that finds its results adds nothing): a run's sends show in reports
 * batch by batch, not only when the run completes. `outcomes[i]` is `touches[i]`'s.
 */
export async function countBatch(
  deps: { store: CountRunStores },
  batch: {
    runId: string;
    batchId: string;
    touches: readonly Omit<CountedTouch, 'outcome' | 'outcomeReason'>[];
    outcomes: readonly { status: string; reason?: string | undefined }[];
  },
): Promise<void> {
  const touches = batch.touches.map((t, i): CountedTouch => {
    const o = batch.outcomes[i];
    return {
      ...t,
      outcome: o?.status ?? 'planned',
      ...(o?.reason !== undefined && { outcomeReason: o.reason }),
    };
  });
  const settings = await deps.store.settings.getSettings();
  const smsTypeOf = await smsTypesOf(deps.store.campaigns, touches);
  const { increments } = runIncrements(touches, {
    prices: resolvePrices(settings.prices),
    batches: 1,
    smsTypeOf,
    noInfra: true,
  });
  await deps.store.results.add(increments, { once: `batch#${batch.runId}#${batch.batchId}` });
}

/** What a run of these planned touches would cost (the dry run's estimate, docs/cost.md). */
export function estimatePlanCost(
  touches: readonly Pick<
    PlannedTouch,
    'campaignId' | 'channel' | 'address' | 'status' | 'reason' | 'sendAt'
  >[],
  opts: { prices: Prices; smsTypeOf: (campaignId: string) => SmsType },
): RunCost {
  const own = touches.filter((t) => t.reason !== 'already-sent');
  const sends = own.filter((t) => t.status === 'planned');
  const messageMicros = sends.reduce(
    (n, t) => n + toMicros(touchPrice(opts.prices, t, opts.smsTypeOf(t.campaignId))),
    0,
  );
  const shape: RunShape = {
    batches: new Set(sends.map((t) => t.sendAt)).size,
    sends: sends.length,
    suppressed: own.length - sends.length,
  };
  const infra = own.length > 0 ? toMicros(runInfraCost(opts.prices, shape)) : 0;
  return {
    currency: opts.prices.currency,
    total: roundAmount((messageMicros + infra) / 1e6),
    messages: roundAmount(messageMicros / 1e6),
    infra: roundAmount(infra / 1e6),
    pricesAsOf: opts.prices.asOf,
  };
}

/** The SMS message type of each campaign (`smsType`, else promotional), from their records. */
export async function smsTypesOf(
  campaigns: Pick<Stores['campaigns'], 'getCampaign'>,
  touches: readonly Pick<PlannedTouch, 'campaignId' | 'channel'>[],
): Promise<(campaignId: string) => SmsType> {
  const types = new Map<string, SmsType>();
  const ids = [...new Set(touches.filter((t) => t.channel === 'sms').map((t) => t.campaignId))];
  for (const id of ids) types.set(id, (await campaigns.getCampaign(id))?.campaign.smsType ?? 'promotional');
  return (id) => types.get(id) ?? 'promotional';
}
