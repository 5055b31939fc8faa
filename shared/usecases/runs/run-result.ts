// What a finished run did, in the contract's run JSON: every touch it planned with its outcome
// (`sent`, `suppressed`, `failed`; `expired` when a send window closed first; `unknown` when the
// ledger held the key under a reservation nobody confirmed: maybe sent, never reported as sent).
import type { RunStore } from '../../ports/runs.js';
import { type OffsetPage, offsetPage } from '../paging.js';
import { countByReason, type RunResult, touchRow } from '../plan/report.js';
import { type ReportedTouch, RunNotFoundError, runReport } from '../run/summarize-run.js';

function status(t: ReportedTouch): { status: string; reason: string | undefined } {
  if (t.outcome === 'sent' || t.outcome === 'failed' || t.outcome === 'expired')
    return { status: t.outcome, reason: t.error };
  if (t.outcome === 'suppressed') return { status: 'suppressed', reason: t.outcomeReason ?? t.reason };
  if (t.outcome === 'unknown') return { status: 'unknown', reason: t.outcomeReason };
  // A touch the run planned but never settled did not go out: the contract has no other word for it.
  return {
    status: t.outcome === 'planned' ? 'failed' : t.outcome,
    reason: t.outcome === 'planned' ? 'not sent by the run' : undefined,
  };
}

/** Undefined when there is no such run. */
export async function runResult(deps: { runs: RunStore }, runId: string): Promise<RunResult | undefined> {
  let report: Awaited<ReturnType<typeof runReport>>;
  try {
    report = await runReport(deps, runId);
  } catch (err) {
    if (err instanceof RunNotFoundError) return undefined;
    throw err;
  }
  const rows = report.touches.map((t) => {
    const s = status(t);
    return touchRow(t, s.status, s.reason);
  });
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  return {
    date: report.meta.date,
    runId,
    touches: rows,
    summary: {
      planned: report.summary.planned,
      sent: count('sent'),
      suppressed: count('suppressed'),
      failed: count('failed'),
      ...(count('expired') > 0 && { expired: count('expired') }),
      ...(count('unknown') > 0 && { unknown: count('unknown') }),
      ...(report.meta.summary?.failedBatches && { failedBatches: report.meta.summary.failedBatches }),
      byReason: countByReason(rows),
    },
  };
}

/** One page of a run's result: a slice of its touches; the summary is the whole run's on every page. */
export async function runResultPage(
  deps: { runs: RunStore },
  input: { runId: string; offset: number; limit: number },
): Promise<{ result: RunResult; page: Omit<OffsetPage<unknown>, 'items'> } | undefined> {
  const whole = await runResult(deps, input.runId);
  if (!whole) return undefined;
  const { items, ...page } = offsetPage(whole.touches, input.offset, input.limit);
  return { result: { ...whole, touches: items }, page };
}
