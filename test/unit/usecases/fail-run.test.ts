// MarkRunFailed's use case: a run that cannot finish is marked failed, so the schedule's catch-up
// (which re-runs only dates whose run failed or never ran) picks its dates up again.
import { describe, expect, it } from 'vitest';
import { failRun } from '../../../shared/usecases/run/summarize-run.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';

const meta = (runId: string, status: 'planning' | 'sending' | 'completed') => ({
  runId,
  date: '2026-06-10',
  startedAt: '2026-06-09T09:00:00Z',
  status,
});

describe('failRun', () => {
  it('marks a run still planning or sending failed, so catch-up re-runs its date', async () => {
    const store = memoryStores(manualClock('2026-06-09T10:00:00Z'));
    await store.runs.putRunMeta(meta('r-plan', 'planning'));
    await store.runs.putRunMeta(meta('r-send', 'sending'));
    expect(await failRun(store, 'r-plan')).toEqual({ runId: 'r-plan', status: 'failed' });
    expect(await failRun(store, 'r-send')).toEqual({ runId: 'r-send', status: 'failed' });
    expect((await store.runs.getRunMeta('r-plan'))?.status).toBe('failed');
    expect((await store.runs.getRunMeta('r-send'))?.status).toBe('failed');
  });

  it('leaves a completed run completed and an unknown run unwritten', async () => {
    const store = memoryStores(manualClock('2026-06-09T10:00:00Z'));
    await store.runs.putRunMeta(meta('r-done', 'completed'));
    expect(await failRun(store, 'r-done')).toEqual({ runId: 'r-done', status: 'completed' });
    expect((await store.runs.getRunMeta('r-done'))?.status).toBe('completed');
    expect(await failRun(store, 'nobody')).toEqual({ runId: 'nobody', status: 'unknown' });
    expect(await store.runs.getRunMeta('nobody')).toBeUndefined();
  });
});
