// PlanRun state: plans the day (and the scheduled run's catch-up dates) and stores batches;
// returns send chunks (a send time and a range of batch numbers) for the Distributed Map state, a
// few hundred bytes per 10,000 touches (docs/run-at-scale.md).
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { calendarDate, isoInstant } from '../shared/domain/documents.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import type { Clock } from '../shared/ports/clock.js';
import { Campaigns } from '../shared/store/campaigns.js';
import { ConversionRows } from '../shared/store/conversions.js';
import { CustomerData } from '../shared/store/customer-data.js';
import { Documents } from '../shared/store/documents.js';
import { DueReads } from '../shared/store/due-reader.js';
import { LedgerRows } from '../shared/store/ledger.js';
import { ResultRows } from '../shared/store/results.js';
import { Runs } from '../shared/store/runs.js';
import type { Stores } from '../shared/store/stores.js';
import { Suppressions } from '../shared/store/suppression.js';
import type { PlanStores } from '../shared/usecases/plan-day.js';
import type { ExposureStores } from '../shared/usecases/results/attribute.js';
import { planRun } from '../shared/usecases/run/plan-run.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

const input = z.object({
  runId: z.string().min(1),
  date: calendarDate,
  campaignId: z.string().min(1).optional(),
  scheduled: z.boolean().optional(),
  catchUp: z.array(calendarDate).optional(),
  intraday: z.object({ at: isoInstant }).optional(),
});

export const createHandler =
  (
    deps: {
      store: PlanStores & Pick<Stores, 'runs'> & ExposureStores;
      clock: Clock;
      /** Batches per child execution (CHUNK_BATCHES); tests set fewer to run several children. */
      chunkBatches?: number;
    },
    log: Log = createLog(metricService('plan-run')),
  ) =>
  async (event: unknown) => {
    const run = input.parse(event);
    const planned = await planRun(deps, run, {
      ...(deps.chunkBatches !== undefined && { chunkBatches: deps.chunkBatches }),
    });
    log
      .with({ runId: run.runId, ...(run.campaignId && { campaignId: run.campaignId }) })
      .info('run planned', {
        date: planned.date,
        batches: planned.batches.length,
        chunks: planned.chunks.length,
        planned: planned.planned,
        suppressed: planned.suppressed,
      });
    // Not the batch ids: 2,000 of them would be ~100 KB of the state's 256 KB.
    return {
      runId: planned.runId,
      date: planned.date,
      planned: planned.planned,
      suppressed: planned.suppressed,
      batchCount: planned.batches.length,
      chunks: planned.chunks,
    };
  };

export const handler = lazyHandler(() => {
  const env = parseEnv('plan-run');
  const table = cloudTable(env.TABLE_NAME);
  const campaigns = new Campaigns(table, systemClock);
  const documents = new Documents(table, new CustomerData(table));
  return createHandler({
    store: {
      campaigns,
      due: new DueReads(table),
      ledger: new LedgerRows(table, campaigns, systemClock),
      settings: documents,
      suppression: new Suppressions(table),
      runs: new Runs(table, systemClock),
      conversions: new ConversionRows(table),
      results: new ResultRows(table, campaigns),
    },
    clock: systemClock,
  });
});
