// SelectRun state: fixes the run's id and local dates (explicit, or from the schedule's firing time
// plus the catch-up of missed dates within LOOKBACK_DAYS).
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import type { Clock } from '../shared/ports/clock.js';
import { Runs } from '../shared/store/runs.js';
import type { Stores } from '../shared/store/stores.js';
import {
  DEFAULT_LOOKBACK_DAYS,
  type StartRunConfig,
  type StartRunInput,
  startRun,
  startRunInput,
} from '../shared/usecases/run/start-run.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

/**
 * The state machine hands SelectRun its input with the execution's name beside it: the run takes the
 * name as its id unless the input names one, so Step Functions' status events name the run.
 */
const withExecution = z.object({ input: z.unknown(), execution: z.string().min(1) });

function runInput(event: unknown): StartRunInput {
  const wrapped = withExecution.safeParse(event);
  if (!wrapped.success) return startRunInput.parse(event);
  const input = startRunInput.parse(wrapped.data.input);
  return { ...input, runId: input.runId ?? wrapped.data.execution };
}

export const createHandler =
  (
    deps: { store: Pick<Stores, 'runs'>; clock: Clock },
    config: StartRunConfig = { lookbackDays: DEFAULT_LOOKBACK_DAYS },
    log: Log = createLog(metricService('select-run')),
  ) =>
  async (event: unknown) => {
    const started = await startRun(deps, runInput(event), config);
    log.with({ runId: started.runId }).info('run started', {
      date: started.date,
      catchUp: started.catchUp ?? [],
      scheduled: started.scheduled ?? false,
    });
    return started;
  };

export const handler = lazyHandler(() => {
  const env = parseEnv('select-run');
  return createHandler(
    { store: { runs: new Runs(cloudTable(env.TABLE_NAME), systemClock) }, clock: systemClock },
    { lookbackDays: env.LOOKBACK_DAYS },
  );
});
