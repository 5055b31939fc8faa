// A run as SelectRun leaves it (its meta, status planning), then planned: what most run tests start with.
import type { Clock } from '../../shared/ports/clock.js';
import { type PlannedRun, planRun } from '../../shared/usecases/run/plan-run.js';

export async function planStartedRun(
  deps: Parameters<typeof planRun>[0] & { clock: Clock },
  run: { runId: string; date: string },
): Promise<PlannedRun> {
  await deps.store.runs.putRunMeta({
    runId: run.runId,
    date: run.date,
    startedAt: deps.clock.now().toISOString(),
    status: 'planning',
  });
  return planRun(deps, run);
}
