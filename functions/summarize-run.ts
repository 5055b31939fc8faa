// SummarizeRun state: the counts that go out on the RunCompleted event. Also where a run's touch
// metrics are emitted: only here is every outcome known, those suppressed at planning included.
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { EXECUTION_ENDED_BADLY } from '../shared/config/events.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import {
  type MetricPoint,
  publishMetrics,
  runDurationPoint,
  touchMetricPoints,
} from '../shared/observability/metrics.js';
import type { Clock } from '../shared/ports/clock.js';
import { Campaigns } from '../shared/store/campaigns.js';
import { ResultRows } from '../shared/store/results.js';
import { Runs } from '../shared/store/runs.js';
import { SettingsReader } from '../shared/store/settings-reader.js';
import {
  completeRun,
  failRun,
  recordFailedBatches,
  runReport,
  type SummarizeStores,
} from '../shared/usecases/run/summarize-run.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

const input = z.object({ runId: z.string().min(1) });
/** The state machine's catch after PlanRun or SummarizeRun failed (MarkRunFailed). */
const failure = z.object({ runId: z.string().min(1), failed: z.literal(true), error: z.string().optional() });
/**
 * Step Functions' status event (the RunExecutionEnded rule hands over its detail): an execution that
 * failed, timed out or was stopped outside the catches. Its name is the run's id (SelectRun).
 */
const executionEnded = z.looseObject({
  executionArn: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(EXECUTION_ENDED_BADLY),
});

export const createHandler =
  (
    deps: { store: SummarizeStores; clock: Clock },
    log: Log = createLog(metricService('summarize-run')),
    publish: (points: readonly MetricPoint[]) => void = publishMetrics,
  ) =>
  async (event: unknown) => {
    const ended = executionEnded.safeParse(event);
    if (ended.success) {
      const { name: runId, status, executionArn } = ended.data;
      const marked = await failRun(deps.store, runId);
      log
        .with({ runId })
        .error('run execution ended', { execution: status, executionArn, run: marked.status });
      return marked;
    }
    const failed = failure.safeParse(event);
    if (failed.success) {
      const marked = await failRun(deps.store, failed.data.runId);
      log.with({ runId: failed.data.runId }).error('run failed', { error: failed.data.error, ...marked });
      return marked;
    }
    const { runId } = input.parse(event);
    // The report's touches (campaign, channel, outcome) feed the metrics, and its summary completes
    // the run: one read of the run's items serves both.
    // Batches the Map caught failing are recorded first, so the metrics see their touches `failed`.
    const report = await recordFailedBatches(deps.store, await runReport(deps.store, runId));
    const result = await completeRun(deps, report);
    const durationMs = deps.clock.now().getTime() - Date.parse(report.meta.startedAt);
    publish([
      ...touchMetricPoints(
        report.touches.map((t) => ({
          campaignId: t.campaignId,
          channel: t.channel,
          status: t.outcome === 'planned' ? t.status : t.outcome,
          ...((t.outcomeReason ?? t.reason) && { reason: t.outcomeReason ?? t.reason }),
        })),
      ),
      runDurationPoint(durationMs),
    ]);
    log.with({ runId }).info('run completed', { date: result.date, durationMs, summary: result.summary });
    return result;
  };

export const handler = lazyHandler(() => {
  const env = parseEnv('summarize-run');
  const table = cloudTable(env.TABLE_NAME);
  const campaigns = new Campaigns(table, systemClock);
  return createHandler({
    store: {
      runs: new Runs(table, systemClock),
      // The run's counts go into the results counters (docs/cost.md), priced from the settings.
      results: new ResultRows(table, campaigns),
      settings: new SettingsReader(table),
      campaigns,
    },
    clock: systemClock,
  });
});
