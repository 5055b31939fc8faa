// Scheduling proofs through the real state machine: (d) a missed scheduled day is caught up by the
// next scheduled run, re-timed into that run's window, and a later `run --date` of the missed day
// sends nothing twice; (e) a batch that runs after its window closed records `expired`, unheld.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../../local/run-executor.js';
import { sendWindowUtc } from '../../../shared/domain/calendar.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { startRun } from '../../../shared/usecases/run/start-run.js';
import { runReport } from '../../../shared/usecases/run/summarize-run.js';
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
  engine = await openEngineEnv('catchup');
});
afterAll(async () => {
  await engine?.close();
});

describe('catch-up of missed scheduled runs', () => {
  it('plans a missed day in the next scheduled run, inside that run’s window, and never twice', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    // Born on the day before the first scheduled run (a fresh install must not catch it up),
    // on the first run's day, on the missed day, and on the day of the catching-up run.
    const before = birthdayCustomers('cu-before', 3, '06-09', 'Asia/Shanghai');
    const first = birthdayCustomers('cu-first', 3, '06-10', 'America/New_York');
    const missed = birthdayCustomers('cu-missed', 6, '06-11', 'Asia/Shanghai');
    const next = birthdayCustomers('cu-next', 3, '06-12', 'UTC');
    await store.documents.putCustomers([...before, ...first, ...missed, ...next]);

    // The schedule fires at 09:00 UTC the day before the local date it plans.
    const r1 = await runAndReport(env, deps, { scheduledTime: '2025-06-09T09:00:00Z' });
    expect((await store.runs.getRunMeta(r1.runId))?.catchUp).toBeUndefined();
    expect(new Set(r1.touches.map((t) => t.dueDate))).toEqual(new Set(['2025-06-10']));
    expect(await mailsTo(env, 'cu-before')).toEqual(new Map());

    // The firing of 2025-06-10 (for 06-11) never happened; the next one plans 06-12 and catches up 06-11.
    const r2 = await runAndReport(env, deps, { scheduledTime: '2025-06-11T09:00:00Z' });
    expect((await store.runs.getRunMeta(r2.runId))?.catchUp).toEqual(['2025-06-11']);
    const caught = r2.touches.filter((t) => t.dueDate === '2025-06-11');
    expect(caught.length).toBe(missed.length + missed.filter((c) => c.phone).length);
    const window = sendWindowUtc('2025-06-12', 'Asia/Shanghai', { start: '09:00', end: '12:00' });
    for (const t of caught) {
      expect(t.outcome).toBe('sent');
      expect(t.occasion).toContain('2025');
      expect({ sendAt: t.sendAt, windowEnd: t.windowEnd }).toEqual(window);
    }
    expect(r2.touches.filter((t) => t.dueDate === '2025-06-12' && t.outcome === 'sent')).toHaveLength(
      dueTouches(next),
    );
    expect(await store.runs.completedDates('2025-06-09', '2025-06-12')).toEqual(
      new Set(['2025-06-10', '2025-06-11', '2025-06-12']),
    );

    // Running the missed date explicitly is exactly that date, and sends nothing a second time.
    const r3 = await runAndReport(env, deps, { date: '2025-06-11' });
    expect((await store.runs.getRunMeta(r3.runId))?.catchUp).toBeUndefined();
    expect(r3.touches.filter((t) => t.outcome === 'sent')).toEqual([]);
    expect(r3.touches.every((t) => t.outcomeReason === 'already-sent')).toBe(true);
    const mails = await mailsTo(env, 'cu-');
    expect([...mails.values()].every((n) => n === 1)).toBe(true);
    expect(mails.size).toBe(first.length + missed.length + next.length);

    // The next firing finds nothing left to catch up.
    const r4 = await runAndReport(env, deps, { scheduledTime: '2025-06-12T09:00:00Z' });
    expect((await store.runs.getRunMeta(r4.runId))?.catchUp).toBeUndefined();
  });
});

describe('a batch that runs after its window closed', () => {
  it('records the touches expired (not held), so a later run of the day still sends them', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    const customers = birthdayCustomers('late', 4, '07-01');
    await store.documents.putCustomers(customers);

    const started = await startRun(deps, { date: '2025-07-01' });
    const planned = await planRun(deps, started);
    expect(planned.batches).toHaveLength(1);
    const [batch] = planned.batches;
    if (!batch) throw new Error('no batch');
    // The window is 09:00–12:00 UTC: the batch runs at 12:00, when it has just closed.
    const late = { ...deps, clock: { now: () => new Date('2025-07-01T12:00:00.000Z') } };
    const result = await sendBatch(late, { runId: started.runId, batchId: batch.batchId });
    expect(result).toMatchObject({ sent: 0, expired: 5 });
    expect(await mailsTo(env, 'late-')).toEqual(new Map());
    const rows = await store.ledger.listDeliveries({ campaignId: 'birthday' });
    expect(rows.map((r) => r.status)).toEqual(Array(5).fill('expired'));
    expect((await runReport(store, started.runId)).summary.expired).toBe(5);

    // Not held: a rerun of the day (locally at the batch's send time) sends them.
    const rerun = await runAndReport(env, deps, { date: '2025-07-01' });
    expect(rerun.touches.filter((t) => t.outcome === 'sent')).toHaveLength(5);
    expect((await mailsTo(env, 'late-')).size).toBe(4);
  });
});

describe('overlapping executions (issue 10, item 8)', () => {
  it('leaves a date to the execution still running it, and catches it up once that run failed', async () => {
    const { store } = await freshDeps(engine.env);
    const at = (iso: string) => ({ now: () => new Date(iso) });
    await store.runs.markDatesCompleted(['2025-08-01'], {
      runId: 'r0',
      scheduled: true,
      completedAt: '2025-08-01T23:00:00Z',
    });
    // Yesterday's execution plans 08-02 and is still waiting for the western windows of that date.
    const yesterday = await startRun(
      { store, clock: at('2025-08-01T09:00:05Z') },
      { scheduledTime: '2025-08-01T09:00:00Z' },
    );
    expect(yesterday.date).toBe('2025-08-02');
    // Today's plans 08-03. Before: it also caught up 08-02 (doubled batches, inflated planned).
    const today = await startRun(
      { store, clock: at('2025-08-02T09:00:05Z') },
      { scheduledTime: '2025-08-02T09:00:00Z' },
    );
    expect(today).toMatchObject({ date: '2025-08-03' });
    expect(today.catchUp).toBeUndefined();
    expect(await store.runs.dateClaims('2025-08-02', '2025-08-03')).toEqual([
      { date: '2025-08-02', runId: yesterday.runId, startedAt: '2025-08-01T09:00:05.000Z' },
      { date: '2025-08-03', runId: today.runId, startedAt: '2025-08-02T09:00:05.000Z' },
    ]);
    // Once yesterday's run has failed, its date is caught up by the next scheduled run.
    const meta = await store.runs.getRunMeta(yesterday.runId);
    if (!meta) throw new Error('no run meta');
    await store.runs.putRunMeta({ ...meta, status: 'failed' });
    const tomorrow = await startRun(
      { store, clock: at('2025-08-03T09:00:05Z') },
      { scheduledTime: '2025-08-03T09:00:00Z' },
    );
    expect(tomorrow).toMatchObject({ date: '2025-08-04', catchUp: ['2025-08-02'] });
  });

  it('runs a firing once: a Scheduler retry or replay of the same scheduled time ends as a success and plans nothing', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    await store.documents.putCustomers(birthdayCustomers('replay', 3, '09-02'));
    const first = await runAndReport(env, deps, { scheduledTime: '2025-09-01T09:00:00Z' });
    expect(first.touches.filter((t) => t.outcome === 'sent')).toHaveLength(
      dueTouches(birthdayCustomers('replay', 3, '09-02')),
    );
    // Before: a second execution of the firing planned and reported the same date again.
    const replay = await executeRun(env.template, deps, { scheduledTime: '2025-09-01T09:00:00Z' });
    expect(replay.output).toMatchObject({ Error: 'FiringAlreadyStartedError' });
    expect(await store.runs.dateClaims('2025-09-02', '2025-09-02')).toHaveLength(1);
    expect([...(await mailsTo(env, 'replay-')).values()].every((n) => n === 1)).toBe(true);
  });
});
