// SummarizeRun: the run's report, from the batches' recorded results and the suppressed touches.
import type { DeliveryStatus, PlannedTouch } from '../../domain/touch.js';
import type { Clock } from '../../ports/clock.js';
import type { RunBatch, RunMeta, RunSummary } from '../../ports/runs.js';
import type { Stores } from '../../store/stores.js';
import { type CountRunStores, countRun, type RunCounts } from '../results/count-run.js';

export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`no run ${runId}`);
    this.name = 'RunNotFoundError';
  }
}

/** A touch as a run reports it: planned ones carry their send outcome. */
export type ReportedTouch = PlannedTouch & {
  outcome: DeliveryStatus | 'planned';
  outcomeReason?: string;
  providerMessageId?: string;
  error?: string;
};

export interface RunReport {
  meta: RunMeta;
  touches: ReportedTouch[];
  summary: RunSummary;
  /** Batches with no recorded results: still to send, or, once the Map is done, failed. */
  unfinished: RunBatch[];
}

/** Why a touch of a batch that failed (its retries spent, caught by the Map) is reported `failed`. */
export const BATCH_FAILED_ERROR =
  'its batch failed before recording results: keys it reserved stay held (a rerun reports them unknown), the rest a rerun may send';

const sameKey = (a: PlannedTouch, b: NonNullable<RunBatch['results']>[number]['key']) =>
  a.campaignId === b.campaignId &&
  a.stepId === b.stepId &&
  a.customerId === b.customerId &&
  a.channel === b.channel &&
  a.occasion === b.occasion;

export async function runReport(store: Pick<Stores, 'runs'>, runId: string): Promise<RunReport> {
  const report = await store.runs.getRunReport(runId);
  if (!report) throw new RunNotFoundError(runId);
  const touches: ReportedTouch[] = [
    ...report.batches.flatMap((b) =>
      b.touches.map((t): ReportedTouch => {
        const r = b.results?.find((x) => sameKey(t, x.key));
        if (!r) return { ...t, outcome: 'planned' };
        return {
          ...t,
          outcome: r.status,
          ...(r.reason && { outcomeReason: r.reason }),
          ...(r.providerMessageId && { providerMessageId: r.providerMessageId }),
          ...(r.error && { error: r.error }),
        };
      }),
    ),
    ...report.suppressed.map(
      (t): ReportedTouch => ({ ...t, outcome: 'suppressed', ...(t.reason && { outcomeReason: t.reason }) }),
    ),
  ];
  touches.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const unfinished = report.batches.filter((b) => !b.results);
  return { meta: report.meta, touches, summary: summarize(touches), unfinished };
}

/**
 * After the Map: a batch with no results failed (the state machine caught it so the other batches
 * went on). Its touches are recorded `failed` with the reason, and the summary counts the batch in
 * `failedBatches`, so the run says it partly failed. Touches the batch reserved stay held.
 */
export async function recordFailedBatches(
  store: Pick<Stores, 'runs'>,
  report: RunReport,
): Promise<RunReport> {
  if (report.unfinished.length === 0) return report;
  for (const b of report.unfinished)
    await store.runs.putRunBatchResults(
      b.runId,
      b.batchId,
      b.touches.map((t) => ({
        key: {
          campaignId: t.campaignId,
          stepId: t.stepId,
          customerId: t.customerId,
          channel: t.channel,
          occasion: t.occasion,
        },
        status: 'failed',
        reason: 'batch-failed',
        error: BATCH_FAILED_ERROR,
      })),
    );
  // Only the touches of batches with no results are still `planned` in the report.
  const touches = report.touches.map(
    (t): ReportedTouch =>
      t.outcome === 'planned'
        ? { ...t, outcome: 'failed', outcomeReason: 'batch-failed', error: BATCH_FAILED_ERROR }
        : t,
  );
  const summary = { ...summarize(touches), failedBatches: report.unfinished.length };
  return { ...report, touches, summary, unfinished: [] };
}

export function summarize(touches: readonly ReportedTouch[]): RunSummary {
  const summary: RunSummary = {
    planned: 0,
    sent: 0,
    suppressed: 0,
    failed: 0,
    expired: 0,
    unknown: 0,
    byReason: {},
  };
  for (const t of touches) {
    if (t.status === 'planned') summary.planned += 1;
    if (t.outcome === 'sent') summary.sent += 1;
    if (t.outcome === 'failed') summary.failed += 1;
    if (t.outcome === 'expired') summary.expired = (summary.expired ?? 0) + 1;
    if (t.outcome === 'unknown') summary.unknown = (summary.unknown ?? 0) + 1;
    if (t.outcome === 'suppressed') {
      summary.suppressed += 1;
      const reason = t.outcomeReason ?? 'unknown';
      summary.byReason[reason] = (summary.byReason[reason] ?? 0) + 1;
    }
  }
  return summary;
}

/** What SummarizeRun returns and RunCompleted carries: the summary, and the counts the results counters took. */
export interface CompletedRun {
  runId: string;
  date: string;
  summary: RunSummary;
  /** Per campaign: planned, sent, failed, expired, unknown, suppressed by reason; and the run's cost (docs/cost.md). */
  results: RunCounts;
}

export type SummarizeStores = Pick<Stores, 'runs'> & CountRunStores;

export async function summarizeRun(
  deps: { store: SummarizeStores; clock: Clock },
  input: { runId: string },
): Promise<CompletedRun> {
  return completeRun(deps, await runReport(deps.store, input.runId));
}

/**
 * Marks the run completed with its summary, from a report the caller already read. The run's touches
 * go into the results counters first, once per run (a retry after a crash adds nothing).
 */
export async function completeRun(
  deps: { store: SummarizeStores; clock: Clock },
  read: RunReport,
): Promise<CompletedRun> {
  const report = await recordFailedBatches(deps.store, read);
  // Its infrastructure estimate counts a batch per send time (docs/cost.md).
  const batches = new Set(report.touches.filter((t) => t.status === 'planned').map((t) => t.sendAt)).size;
  const results = await countRun(deps, { runId: report.meta.runId, touches: report.touches, batches });
  const completedAt = deps.clock.now().toISOString();
  await deps.store.runs.putRunMeta({ ...report.meta, status: 'completed', summary: report.summary });
  // A date is done once an all-campaign run for it completed: the schedule's catch-up skips it.
  const { meta } = report;
  // An intraday run plans only a slice of the day (docs/scheduling.md): it marks nothing done.
  if (meta.campaignId === undefined && meta.intraday !== true) {
    await deps.store.runs.markDatesCompleted([...(meta.catchUp ?? []), meta.date], {
      runId: meta.runId,
      scheduled: meta.scheduled === true,
      completedAt,
    });
  }
  return { runId: meta.runId, date: meta.date, summary: report.summary, results };
}

/**
 * Marks a run failed when its execution failed in planning or summarizing (the state machine's
 * catch), so the schedule's catch-up re-runs its dates instead of leaving them to a run that will
 * never finish (docs/scheduling.md). A run already completed stays completed; an unknown run is
 * nothing to mark (SelectRun failed before writing it).
 */
export async function failRun(
  store: Pick<Stores, 'runs'>,
  runId: string,
): Promise<{ runId: string; status: 'failed' | 'completed' | 'unknown' }> {
  const meta = await store.runs.getRunMeta(runId);
  if (!meta) return { runId, status: 'unknown' };
  if (meta.status === 'completed') return { runId, status: 'completed' };
  await store.runs.putRunMeta({ ...meta, status: 'failed' });
  return { runId, status: 'failed' };
}
