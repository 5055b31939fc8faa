// Through the real state machine (the synthesized ASL in aws-local-stepfunctions): a batch whose task
// keeps failing after its retries is caught and recorded, the other batches still send, and the run
// completes with a summary that says it partly failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../shared/ports/ledger.js';
import { summarize } from '../../../shared/usecases/run/summarize-run.js';
import { runResult } from '../../../shared/usecases/runs/run-result.js';
import {
  birthdayCustomers,
  dueTouches,
  type EngineEnv,
  freshDeps,
  mailsTo,
  openEngineEnv,
  runAndReport,
} from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('isolation');
});
afterAll(async () => {
  await engine?.close();
});

/** A ledger whose reserve fails, as a throttled or unreachable table would, for these customers. */
function failingReserveFor(ledger: Ledger, prefix: string): Ledger {
  return new Proxy(ledger, {
    get(target, prop, receiver) {
      if (prop === 'reserve')
        return async (...args: Parameters<Ledger['reserve']>) => {
          if (args[0].customerId.startsWith(prefix))
            throw new Error('ProvisionedThroughputExceededException');
          return target.reserve(...args);
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('one batch failing does not drop the others', () => {
  it('a batch that fails after its retries is recorded, and the other zones still send', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    const tokyo = birthdayCustomers('bi-tokyo', 3, '06-10', 'Asia/Tokyo');
    const london = birthdayCustomers('bi-utc', 3, '06-10', 'UTC');
    const newYork = birthdayCustomers('bi-ny', 3, '06-10', 'America/New_York');
    await store.documents.putCustomers([...tokyo, ...london, ...newYork]);

    const failing = { ...deps, store: { ...store, ledger: failingReserveFor(store.ledger, 'bi-tokyo') } };
    const { runId, touches } = await runAndReport(env, failing, { date: '2025-06-10' });

    // The other zones' batches ran after Tokyo's (earliest) failed.
    expect((await mailsTo(env, 'bi-utc')).size).toBe(3);
    expect((await mailsTo(env, 'bi-ny')).size).toBe(3);
    expect((await mailsTo(env, 'bi-tokyo')).size).toBe(0);
    const failed = touches.filter((t) => t.outcome === 'failed');
    expect(failed).toHaveLength(dueTouches(tokyo));
    expect(
      failed.every((t) => t.customerId.startsWith('bi-tokyo') && t.outcomeReason === 'batch-failed'),
    ).toBe(true);
    const meta = await store.runs.getRunMeta(runId);
    expect(meta?.status).toBe('completed');
    expect(meta?.summary).toMatchObject({
      sent: dueTouches(london) + dueTouches(newYork),
      failed: dueTouches(tokyo),
      failedBatches: 1,
    });
    expect(summarize(touches).failed).toBe(dueTouches(tokyo));
    // The contract's run JSON keeps sent | suppressed | failed per touch and says the run partly failed.
    const result = await runResult(store, runId);
    expect(result?.summary).toMatchObject({ failed: dueTouches(tokyo), failedBatches: 1 });
    expect(new Set(result?.touches.map((t) => t.status))).toEqual(new Set(['sent', 'failed']));
  });
});
