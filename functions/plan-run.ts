// PlanRun state: plans the day and stores batches; returns batch references for the Map state.
import { z } from 'zod';
import { planRun } from '../shared/usecases/run/plan-run.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const input = z.object({ runId: z.string().min(1), date: z.string().min(1), campaignId: z.string().min(1).optional() });

export const createHandler = (deps: Pick<Deps, 'store' | 'clock'>) => (event: unknown) =>
  planRun(deps, input.parse(event));

export const handler = lazyHandler(createHandler);
