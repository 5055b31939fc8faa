// SummarizeRun state: the counts that go out on the RunCompleted event.
import { z } from 'zod';
import { summarizeRun } from '../shared/usecases/run/summarize-run.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const input = z.object({ runId: z.string().min(1) });

export const createHandler = (deps: Pick<Deps, 'store' | 'clock'>) => (event: unknown) =>
  summarizeRun(deps, input.parse(event));

export const handler = lazyHandler(createHandler);
