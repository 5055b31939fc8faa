// Through the real state machine (issue 14, item 2): a run's batches go out as send chunks, one
// child execution of the Distributed Map each, and every touch is sent exactly once however many
// chunks there are. And an execution that ends outside the definition's catches — stopped, or
// failed in a state without a catch — leaves its run `failed`, through Step Functions' status event
// and the template's RunExecutionEnded rule, as in the cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionEvent, executeRun, RunExecutionError } from '../../../local/run-executor.js';
import type { Customer } from '../../../shared/domain/documents.js';
import type { EmailSender } from '../../../shared/ports/channels.js';
import type { RunStore } from '../../../shared/ports/runs.js';
import { customer } from '../support/fixtures.js';
import { type EngineEnv, freshDeps, mailsTo, openEngineEnv } from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('run-scale');
});
afterAll(async () => {
  await engine?.close();
});

/** `n` standard customers (email only) born on `monthDay`: one touch each. */
const emailOnly = (prefix: string, n: number, monthDay: string): Customer[] =>
  Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(4, '0')}`;
    return customer({ id, email: `${id}@example.com`, birthday: `1990-${monthDay}` });
  });

/** Every child execution starts with the chunk's wait: its entries count the chunks run. */
const chunksRun = (events: readonly ExecutionEvent[]) =>
  events.filter((e) => e.type === 'StateEntered' && e.state.name === 'WaitForSendTime').length;

function failingOn<K extends keyof RunStore>(runs: RunStore, method: K): RunStore {
  return new Proxy(runs, {
    get(target, prop, receiver) {
      if (prop === method)
        return async () => {
          throw new Error(`${String(method)}: the table refused the write`);
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a run of many batches (issue 14)', () => {
  it('sends 300 due touches exactly once through several child executions when its batches span more than one chunk', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    const customers = emailOnly('sc', 300, '08-01');
    await store.documents.putCustomers(customers);
    const events: ExecutionEvent[] = [];

    // 6 batches of 50, 2 to a chunk: 3 children, two at a time (CHUNK_BATCHES is 200 in a real run).
    const { output } = await executeRun(
      env.template,
      { ...deps, chunkBatches: 2 },
      { date: '2025-08-01', runId: 'run-scale-300' },
      { onEvent: (e) => events.push(e) },
    );

    expect(output).toMatchObject({ runId: 'run-scale-300', summary: { planned: 300, sent: 300 } });
    expect(chunksRun(events)).toBe(3);
    const mails = await mailsTo(env, 'sc-');
    expect(mails.size).toBe(300);
    expect([...mails.values()].filter((n) => n !== 1)).toEqual([]);
    const rows = await store.ledger.listDeliveries({ campaignId: 'birthday' });
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
  });
});

describe('an execution that ends outside the catches', () => {
  it('marks its run failed when the execution is stopped mid-way (ABORTED), instead of leaving it sending', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    await store.documents.putCustomers(emailOnly('ab', 60, '08-02'));
    const stop = new AbortController();
    let sends = 0;
    // StopExecution while the first batches send: the run's state machine starts nothing after it.
    const stopping: EmailSender = {
      send: async (message) => {
        sends += 1;
        if (sends === 10) stop.abort();
        return deps.email.send(message);
      },
    };

    await expect(
      executeRun(
        env.template,
        { ...deps, email: stopping, chunkBatches: 1 },
        { date: '2025-08-02', runId: 'run-stopped' },
        { signal: stop.signal },
      ),
    ).rejects.toBeInstanceOf(RunExecutionError);

    expect((await store.runs.getRunMeta('run-stopped'))?.status).toBe('failed');
    expect((await store.runs.completedDates('2025-08-02', '2025-08-02')).has('2025-08-02')).toBe(false);
  });

  it('marks its run failed when a state without a catch fails after the run was written (FAILED), so its dates are not held as running', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    await store.documents.putCustomers(emailOnly('sf', 2, '08-03'));
    // SelectRun writes the run, then cannot claim its dates: SelectRun has no catch for that. No run
    // id in the input (as a schedule's firing): the run is named after the execution.
    const written: string[] = [];
    const runs = failingOn(store.runs, 'claimDates');
    const recording: RunStore = new Proxy(runs, {
      get(target, prop, receiver) {
        if (prop === 'putRunMeta')
          return async (meta: Parameters<RunStore['putRunMeta']>[0]) => {
            written.push(meta.runId);
            return target.putRunMeta(meta);
          };
        return Reflect.get(target, prop, receiver);
      },
    });

    await expect(
      executeRun(env.template, { ...deps, store: { ...store, runs: recording } }, { date: '2025-08-03' }),
    ).rejects.toThrow(/claimDates/);

    const [runId] = written;
    expect(runId).toBeDefined();
    expect((await store.runs.getRunMeta(runId ?? ''))?.status).toBe('failed');
  });
});
