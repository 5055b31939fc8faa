// SummarizeRun: the run's report, from the batches' recorded results and the suppressed touches.
import type { DeliveryStatus, PlannedTouch } from '../../domain/touch.js';
import type { Clock } from '../../ports/clock.js';
import type { RunBatch, RunMeta, RunSummary } from '../../ports/runs.js';
import type { Stores } from '../../store/stores.js';

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
}

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
  return { meta: report.meta, touches, summary: summarize(touches) };
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

export async function summarizeRun(
  deps: { store: Pick<Stores, 'runs'>; clock: Clock },
  input: { runId: string },
): Promise<{ runId: string; date: string; summary: RunSummary }> {
  return completeRun(deps, await runReport(deps.store, input.runId));
}

/** Marks the run completed with its summary, from a report the caller already read. */
export async function completeRun(
  deps: { store: Pick<Stores, 'runs'>; clock: Clock },
  report: RunReport,
): Promise<{ runId: string; date: string; summary: RunSummary }> {
  const completedAt = deps.clock.now().toISOString();
  await deps.store.runs.putRunMeta({ ...report.meta, status: 'completed', summary: report.summary });
  // A date is done once an all-campaign run for it completed: the schedule's catch-up skips it.
  const { meta } = report;
  if (meta.campaignId === undefined) {
    await deps.store.runs.markDatesCompleted([...(meta.catchUp ?? []), meta.date], {
      runId: meta.runId,
      scheduled: meta.scheduled === true,
      completedAt,
    });
  }
  return { runId: meta.runId, date: meta.date, summary: report.summary };
}
