// SelectRun state: fixes the run's id and local dates (explicit, or from the schedule's firing time
// plus the catch-up of missed dates within LOOKBACK_DAYS).
import { z } from 'zod';
import { FUNCTION_ENV } from '../infra/constructs/function-env.js';
import {
  DEFAULT_LOOKBACK_DAYS,
  type StartRunConfig,
  type StartRunInput,
  startRun,
  startRunInput,
} from '../shared/usecases/run/start-run.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const lookbackDays = z.coerce.number().int().min(0).max(30).default(DEFAULT_LOOKBACK_DAYS);

/** Read when the handler is created (once per cold start); a bad value fails loudly there. */
export const configFromEnv = (env: NodeJS.ProcessEnv = process.env): StartRunConfig => ({
  lookbackDays: lookbackDays.parse(env[FUNCTION_ENV.lookbackDays] || undefined),
});

export const createHandler =
  (deps: Pick<Deps, 'store' | 'clock'>, config: StartRunConfig = configFromEnv()) =>
  (event: unknown) =>
    startRun(deps, startRunInput.parse(event) satisfies StartRunInput, config);

export const handler = lazyHandler(createHandler);
