// SendBatch state (inside a send chunk's Map, after the Wait for the chunk's send time). The state
// machine names a batch by its send time and number (plan-run.ts batchIdOf); `batchId` still works.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { cachedSecrets } from '../shared/config/secrets.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import { traced } from '../shared/observability/tracer.js';
import { Campaigns } from '../shared/store/campaigns.js';
import { ConversionRows } from '../shared/store/conversions.js';
import { DueReads } from '../shared/store/due-reader.js';
import { LedgerRows } from '../shared/store/ledger.js';
import { RateScheduleRows } from '../shared/store/rate-budget.js';
import { ReputationRows } from '../shared/store/reputation.js';
import { ResultRows } from '../shared/store/results.js';
import { Runs } from '../shared/store/runs.js';
import { SettingsReader } from '../shared/store/settings-reader.js';
import { Suppressions } from '../shared/store/suppression.js';
import { type SendBatchDeps, sendBatch } from '../shared/usecases/run/send-batch.js';
import { batchIdOf } from '../shared/usecases/run/send-chunks.js';
import { cloudChannels } from './commons/channels.js';
import { type InvocationContext, lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

const input = z.union([
  z.object({ runId: z.string().min(1), batchId: z.string().min(1) }),
  z
    .object({ runId: z.string().min(1), sendAt: z.string().min(1), index: z.number().int().min(0) })
    .transform((b) => ({ runId: b.runId, batchId: batchIdOf(b.sendAt, b.index) })),
]);

export const createHandler =
  (deps: SendBatchDeps, log: Log = createLog(metricService('send-batch'))) =>
  async (event: unknown, context?: InvocationContext) => {
    const batch = input.parse(event);
    // Stops before the function's timeout with the rest unreserved: the state machine retries it.
    const timeLeftMs = context ? () => context.getRemainingTimeInMillis() : undefined;
    const result = await sendBatch({ ...deps, ...(timeLeftMs && { timeLeftMs }) }, batch);
    // Per-campaign touch metrics come from summarize-run, which sees every outcome of the run.
    log.with({ runId: batch.runId, batchId: batch.batchId }).info('batch sent', { ...result });
    return result;
  };

export const handler = lazyHandler(async () => {
  const env = parseEnv('send-batch');
  const secrets = cachedSecrets(traced(new SecretsManagerClient({})));
  const table = cloudTable(env.TABLE_NAME, traced);
  const campaigns = new Campaigns(table, systemClock);
  return createHandler({
    store: {
      campaigns,
      due: new DueReads(table),
      ledger: new LedgerRows(table, campaigns, systemClock),
      runs: new Runs(table, systemClock),
      settings: new SettingsReader(table),
      suppression: new Suppressions(table),
      reputation: new ReputationRows(table),
      results: new ResultRows(table, campaigns),
      conversions: new ConversionRows(table),
    },
    ...cloudChannels(env, new RateScheduleRows(table), traced),
    clock: systemClock,
    links: {
      unsubscribeBaseUrl: env.UNSUBSCRIBE_BASE_URL,
      unsubscribeSecret: await secrets(env.UNSUBSCRIBE_SECRET_ARN),
    },
  });
});
