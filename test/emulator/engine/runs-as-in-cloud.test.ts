// Through the real state machine: a run publishes what the template's PublishRunCompleted state
// declares (its detail is the run summary, the execution's output), and a run started through the
// API is named as in the cloud (the execution id is the run id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunStarter } from '../../../local/api-server.js';
import { executeRun } from '../../../local/run-executor.js';
import type { DomainEvent } from '../../../shared/ports/events.js';
import { birthdayCustomers, type EngineEnv, freshDeps, openEngineEnv } from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('runs-cloud');
});
afterAll(async () => {
  await engine?.close();
});

const DEADLINE_MS = 60_000;

describe('a run, as the cloud runs it', () => {
  it('publishes RunCompleted with the run summary as its detail, not the PutEvents Entries wrapper', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    await store.documents.putCustomers(birthdayCustomers('rc', 2, '06-11'));
    const published: DomainEvent[] = [];
    const capturing = {
      ...deps,
      events: {
        publish: async (events: readonly DomainEvent[]) => {
          published.push(...events);
        },
      },
    };

    const { output } = await executeRun(env.template, capturing, {
      date: '2025-06-11',
      runId: 'run-cloud-event',
    });

    expect(published).toHaveLength(1);
    expect(published[0]).toEqual({ source: 'touchpoint', detailType: 'RunCompleted', detail: output });
    expect(published[0]?.detail).not.toHaveProperty('Entries');
    expect(published[0]?.detail).toMatchObject({ runId: 'run-cloud-event' });
  });

  it('names a run started through the API by its run id, so the execution id and the run id are equal', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    await store.documents.putCustomers(birthdayCustomers('rn', 1, '06-12'));
    const starter = localRunStarter({ template: env.template, deps });

    const { executionId } = await starter.start({ date: '2025-06-12' });
    const deadline = Date.now() + DEADLINE_MS;
    let status = await starter.status(executionId);
    while (status?.status === 'RUNNING' && Date.now() < deadline) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      status = await starter.status(executionId);
    }

    expect(status).toMatchObject({ status: 'SUCCEEDED', output: { runId: executionId } });
    expect(await store.runs.getRunMeta(executionId)).toBeDefined();
  });
});
