// Through the real state machine: a run whose planning fails after its retries is marked failed
// (MarkRunFailed), so the schedule's catch-up re-runs its date instead of leaving it to a run that
// will never finish; the execution itself still fails, for the alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../../local/run-executor.js';
import type { RunStore } from '../../../shared/ports/runs.js';
import { birthdayCustomers, type EngineEnv, freshDeps, openEngineEnv } from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('run-failed');
});
afterAll(async () => {
  await engine?.close();
});

/** Run items that cannot be written, as a throttled or unreachable table would refuse them. */
function failingBatchWrites(runs: RunStore): RunStore {
  return new Proxy(runs, {
    get(target, prop, receiver) {
      if (prop === 'putRunBatches')
        return async () => {
          throw new Error('ProvisionedThroughputExceededException');
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a run that cannot finish', () => {
  it('is marked failed when planning fails after its retries, so catch-up re-runs its date', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    await store.documents.putCustomers(birthdayCustomers('rf', 3, '06-10'));
    const failing = { ...deps, store: { ...store, runs: failingBatchWrites(store.runs) } };

    await expect(
      executeRun(env.template, failing, { date: '2025-06-10', runId: 'run-fails-planning' }),
    ).rejects.toThrow(/PlanRun or SummarizeRun failed/);

    const meta = await store.runs.getRunMeta('run-fails-planning');
    expect(meta?.status).toBe('failed');
    expect((await store.runs.completedDates('2025-06-10', '2025-06-10')).has('2025-06-10')).toBe(false);
  });
});
