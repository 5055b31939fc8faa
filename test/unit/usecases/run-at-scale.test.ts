// A run of any size hands the state machine send chunks, not batch ids (issue 14, item 2), and an
// execution that ends outside the definition's catches marks its run failed (RunExecutionEnded).
import { describe, expect, it } from 'vitest';
import { createHandler as selectRunHandler } from '../../../functions/select-run.js';
import { createHandler as summarizeHandler } from '../../../functions/summarize-run.js';
import { batchIdOf, CHUNK_BATCHES, sendChunksOf } from '../../../shared/usecases/run/send-chunks.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';

const at = (h: number) => `2027-03-09T${String(h).padStart(2, '0')}:00:00.000Z`;

describe('send chunks', () => {
  it('names every batch of a 1,000,000-touch run exactly once, in chunks inside States.ArrayRange and far under the 256 KB state', () => {
    // 20,000 batches: 15,000 at one send time, 5,000 at another.
    const batches = [
      ...Array.from({ length: 15_000 }, () => ({ sendAt: at(9) })),
      ...Array.from({ length: 5_000 }, () => ({ sendAt: at(17) })),
    ];
    const chunks = sendChunksOf(batches);
    const named = chunks.flatMap((c) =>
      Array.from({ length: c.last - c.first + 1 }, (_, i) => batchIdOf(c.sendAt, c.first + i)),
    );
    expect(named).toHaveLength(20_000);
    expect(new Set(named).size).toBe(20_000);
    expect(named).toContain(batchIdOf(at(9), 14_999));
    expect(named).toContain(batchIdOf(at(17), 4_999));
    expect(chunks.every((c) => c.last - c.first + 1 <= CHUNK_BATCHES && c.first <= c.last)).toBe(true);
    expect(CHUNK_BATCHES).toBeLessThanOrEqual(1_000);
    expect(chunks).toHaveLength(100);
    expect(JSON.stringify(chunks).length).toBeLessThan(10_000);
  });

  it('numbers batches as batchesOf does: from 0 within each send time, in send-time order', () => {
    const chunks = sendChunksOf([{ sendAt: at(17) }, { sendAt: at(9) }, { sendAt: at(9) }], 1);
    expect(chunks).toEqual([
      { sendAt: at(9), first: 0, last: 0 },
      { sendAt: at(9), first: 1, last: 1 },
      { sendAt: at(17), first: 0, last: 0 },
    ]);
    expect(batchIdOf(at(9), 1)).toBe(`${at(9)}#0001`);
  });
});

const meta = (runId: string, status: 'planning' | 'sending' | 'completed') => ({
  runId,
  date: '2027-03-09',
  startedAt: '2027-03-08T09:00:00Z',
  status,
});

const statusEvent = (name: string, status: string) => ({
  executionArn: `arn:aws:states:eu-central-1:123456789012:execution:RunMachine:${name}`,
  stateMachineArn: 'arn:aws:states:eu-central-1:123456789012:stateMachine:RunMachine',
  name,
  status,
  input: '{}',
});

describe('an execution that ended outside the catches', () => {
  it('marks the run named by a failed, timed-out or stopped execution failed (Step Functions status event → summarize-run)', async () => {
    const store = memoryStores(manualClock('2027-03-09T10:00:00Z'));
    const handle = summarizeHandler({ store, clock: manualClock('2027-03-09T10:00:00Z') });
    for (const [runId, status] of [
      ['r-failed', 'FAILED'],
      ['r-timed-out', 'TIMED_OUT'],
      ['r-stopped', 'ABORTED'],
    ] as const) {
      await store.runs.putRunMeta(meta(runId, 'sending'));
      expect(await handle(statusEvent(runId, status))).toEqual({ runId, status: 'failed' });
      expect((await store.runs.getRunMeta(runId))?.status).toBe('failed');
    }
  });

  it('leaves a completed run completed, and writes nothing for an execution that never wrote a run', async () => {
    const store = memoryStores(manualClock('2027-03-09T10:00:00Z'));
    const handle = summarizeHandler({ store, clock: manualClock('2027-03-09T10:00:00Z') });
    await store.runs.putRunMeta(meta('r-done', 'completed'));
    expect(await handle(statusEvent('r-done', 'FAILED'))).toEqual({ runId: 'r-done', status: 'completed' });
    expect(await handle(statusEvent('a-duplicate-firing', 'FAILED'))).toEqual({
      runId: 'a-duplicate-firing',
      status: 'unknown',
    });
    expect(await store.runs.getRunMeta('a-duplicate-firing')).toBeUndefined();
  });

  it('gives a run started without an id the execution name as its id, so the status event names the run', async () => {
    const store = memoryStores(manualClock('2027-03-09T08:00:00Z'));
    const handle = selectRunHandler({ store, clock: manualClock('2027-03-09T08:00:00Z') }, undefined);
    expect(await handle({ input: { date: '2027-03-09' }, execution: 'exec-7f3a' })).toMatchObject({
      runId: 'exec-7f3a',
    });
    expect(await handle({ input: { date: '2027-03-09', runId: 'r-api' }, execution: 'r-api' })).toMatchObject(
      {
        runId: 'r-api',
      },
    );
    expect(await store.runs.getRunMeta('exec-7f3a')).toBeDefined();
  });
});
