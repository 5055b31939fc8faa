// SelectRun state: fixes the run's id and local date (explicit, or from the schedule's firing time).
import { type StartRunInput, startRun, startRunInput } from '../shared/usecases/run/start-run.js';
import { type Deps, lazyHandler } from './commons/deps.js';

export const createHandler = (deps: Pick<Deps, 'store' | 'clock'>) => (event: unknown) =>
  startRun(deps, startRunInput.parse(event) satisfies StartRunInput);

export const handler = lazyHandler(createHandler);
