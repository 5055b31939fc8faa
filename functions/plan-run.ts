// PlanRun state: plans the day (and the scheduled run's catch-up dates) and stores batches;
// returns batch references for the Map state.
import { z } from 'zod';
import { calendarDate } from '../shared/domain/documents.js';
import { planRun } from '../shared/usecases/run/plan-run.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const input = z.object({
  runId: z.string().min(1),
  date: calendarDate,
  campaignId: z.string().min(1).optional(),
  scheduled: z.boolean().optional(),
  catchUp: z.array(calendarDate).optional(),
});

export const createHandler = (deps: Pick<Deps, 'store' | 'clock'>) => (event: unknown) =>
  planRun(deps, input.parse(event));

export const handler = lazyHandler(createHandler);
