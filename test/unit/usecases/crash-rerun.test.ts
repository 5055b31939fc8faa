// What a rerun reports after a run died between reserve and send (docs/exactly-once.md): the touches
// it reserved are `unknown` (maybe sent, never reported as sent), the ledger says so once their lease
// ran out on the wall clock — whatever date a simulated run clock shows — and an operator who finds
// one unsent in the provider's logs can release it for the next run.
import { describe, expect, it } from 'vitest';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import type { Clock } from '../../../shared/ports/clock.js';
import { RESERVATION_TIMEOUT_MS } from '../../../shared/ports/ledger.js';
import { releaseDelivery } from '../../../shared/usecases/deliveries/release.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { runResult } from '../../../shared/usecases/runs/run-result.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

/** Four customers last active on `date` (a lastActivity step at offset 0, email only, UTC). */
async function seed(store: MemoryStores, date: string): Promise<void> {
  await store.documents.putCustomers(
    Array.from({ length: 4 }, (_, i) =>
      customer(`c${i}`, { lastActivityAt: `${date}T12:00:00Z`, phone: undefined, timeZone: 'UTC' }),
    ),
  );
  await store.campaigns.putCampaign(campaign());
}

/** Plans run `runId` for `date` at the run clock's time; its batches' touches. */
async function plan(store: MemoryStores, runClock: Clock, runId: string, date: string) {
  await store.runs.putRunMeta({ runId, date, startedAt: runClock.now().toISOString(), status: 'planning' });
  const run = await planRun({ store, clock: runClock }, { runId, date });
  const touches: PlannedTouch[] = [];
  for (const b of run.batches)
    touches.push(...((await store.runs.getRunBatch(runId, b.batchId))?.touches ?? []));
  return { run, touches };
}

/** Run `runId` reserves these touches and dies (kill -9) before it sends any of them. */
async function crashAfterReserving(store: MemoryStores, runClock: Clock, runId: string, date: string) {
  const { touches } = await plan(store, runClock, runId, date);
  for (const t of touches)
    expect(await store.ledger.reserve(t, runId, runClock.now().toISOString())).toBe(true);
  return touches;
}

/** A whole run of `date` at the run clock's time, then its result as `run --json` prints it. */
async function runDay(
  store: MemoryStores,
  runClock: Clock,
  runId: string,
  date: string,
  sleep: (ms: number) => Promise<void> = async () => {},
) {
  const { run } = await plan(store, runClock, runId, date);
  const email = recordingEmail();
  for (const b of run.batches)
    await sendBatch(
      { store, email, sms: noSms, clock: runClock, links, sleep },
      { runId, batchId: b.batchId },
    );
  const result = await runResult(store, runId);
  if (!result) throw new Error('no run result');
  return { result, email };
}

describe('a rerun after a run died between reserve and send', () => {
  it('reports touches reserved but never sent as unknown, never already-sent, and marks the ledger unknown', async () => {
    const D = '2026-11-26';
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await seed(store, D);
    const crashed = await crashAfterReserving(store, clock, 'r1', D);
    expect(crashed).toHaveLength(4);
    clock.advance(RESERVATION_TIMEOUT_MS + 60_000);

    const { result, email } = await runDay(store, clock, 'r2', D);

    expect(email.sent).toEqual([]);
    expect(result.touches.map((t) => [t.customerId, t.status, t.reason])).toEqual(
      ['c0', 'c1', 'c2', 'c3'].map((c) => [c, 'unknown', 'reserved-not-confirmed']),
    );
    expect(result.summary).toMatchObject({ sent: 0, suppressed: 0, failed: 0, unknown: 4, byReason: {} });
    expect([...store.ledger.rows.values()].map((d) => [d.status, d.reason])).toEqual(
      Array(4).fill(['unknown', 'reserved-not-confirmed']),
    );
  });

  it('a future-dated run (simulated clock in 2030) still turns a dead reservation unknown, judged on the wall clock', async () => {
    const D = '2030-01-01';
    // The run's clock is simulated (locally a batch runs at its sendAt); the ledger's is the machine's.
    const runClock = manualClock(`${D}T09:00:00Z`);
    const wall = manualClock('2026-12-02T00:40:00Z');
    const store = memoryStores(wall);
    await seed(store, D);
    await crashAfterReserving(store, runClock, 'r1', D);
    // Dated by the simulated clock, the reservations are years "in the future"; their lease is not.
    expect((await store.ledger.listDeliveries({})).map((d) => d.status)).toEqual(Array(4).fill('reserved'));
    wall.advance(RESERVATION_TIMEOUT_MS + 60_000);
    expect((await store.ledger.listDeliveries({})).map((d) => d.status)).toEqual(Array(4).fill('unknown'));

    const { result, email } = await runDay(store, runClock, 'r2', D);

    expect(email.sent).toEqual([]);
    expect(result.touches.map((t) => [t.status, t.reason])).toEqual(
      Array(4).fill(['unknown', 'reserved-not-confirmed']),
    );
    expect([...store.ledger.rows.values()].map((d) => d.status)).toEqual(Array(4).fill('unknown'));
  });

  it('a rerun inside the lease reports a live reservation unknown (in flight), leaves it reserved, sends nothing', async () => {
    const D = '2026-11-26';
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await seed(store, D);
    await crashAfterReserving(store, clock, 'r1', D);
    const waits: number[] = [];

    const { result, email } = await runDay(store, clock, 'r2', D, async (ms) => void waits.push(ms));

    expect(email.sent).toEqual([]);
    expect(result.touches.map((t) => [t.status, t.reason])).toEqual(
      Array(4).fill(['unknown', 'reserved-in-flight']),
    );
    expect(waits.length).toBeGreaterThan(0);
    expect([...store.ledger.rows.values()].map((d) => d.status)).toEqual(Array(4).fill('reserved'));
  });

  it('a touch that was really sent is still reported suppressed / already-sent by the rerun', async () => {
    const D = '2026-11-26';
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await seed(store, D);
    const [sent] = await crashAfterReserving(store, clock, 'r1', D);
    if (!sent) throw new Error('fixture');
    await store.ledger.settle(sent, { status: 'sent', providerMessageId: 'm-1' }, clock.now().toISOString());
    clock.advance(RESERVATION_TIMEOUT_MS + 60_000);

    const { result } = await runDay(store, clock, 'r2', D);

    expect(result.touches.map((t) => [t.customerId, t.status, t.reason])).toEqual([
      ['c0', 'suppressed', 'already-sent'],
      ['c1', 'unknown', 'reserved-not-confirmed'],
      ['c2', 'unknown', 'reserved-not-confirmed'],
      ['c3', 'unknown', 'reserved-not-confirmed'],
    ]);
    expect(result.summary.byReason).toEqual({ 'already-sent': 1 });
  });

  it('releasing an unknown touch frees its key: the next run of its date sends it, once', async () => {
    const D = '2026-11-26';
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await seed(store, D);
    const [lost] = await crashAfterReserving(store, clock, 'r1', D);
    if (!lost) throw new Error('fixture');
    clock.advance(RESERVATION_TIMEOUT_MS + 60_000);
    await runDay(store, clock, 'r2', D);

    const released = await releaseDelivery({ ledger: store.ledger, clock }, lost);
    expect(released).toMatchObject({ released: true, delivery: { status: 'failed', customerId: 'c0' } });
    const { result, email } = await runDay(store, clock, 'r3', D);
    expect(email.sent.map((m) => m.to)).toEqual(['c0@example.com']);
    expect(result.summary).toMatchObject({ sent: 1, unknown: 3 });
    const { email: again } = await runDay(store, clock, 'r4', D);
    expect(again.sent).toEqual([]);
  });

  it('release refuses a sent touch, a reservation still in its lease, an unheld one and a missing one', async () => {
    const D = '2026-11-26';
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await seed(store, D);
    const [sent, live, failed] = await crashAfterReserving(store, clock, 'r1', D);
    if (!sent || !live || !failed) throw new Error('fixture');
    const now = clock.now().toISOString();
    await store.ledger.settle(sent, { status: 'sent', providerMessageId: 'm-1' }, now);
    await store.ledger.settle(failed, { status: 'failed', error: 'MessageRejected' }, now);
    const release = (key: PlannedTouch) => releaseDelivery({ ledger: store.ledger, clock }, key);

    expect(await release(sent)).toMatchObject({ released: false, reason: 'sent' });
    expect(await release(live)).toMatchObject({ released: false, reason: 'in-flight' });
    expect(await release(failed)).toMatchObject({ released: false, reason: 'not-held' });
    expect(await release({ ...live, occasion: '1999-01-01' })).toEqual({
      released: false,
      reason: 'not-found',
    });
    expect(store.ledger.rows.get(`camp|s1|${sent.customerId}|email|${D}`)?.status).toBe('sent');
    // Once the lease has run out, the same reservation can be released.
    clock.advance(RESERVATION_TIMEOUT_MS);
    expect(await release(live)).toMatchObject({ released: true });
  });

  it('an ordinary run reports sent|suppressed|failed exactly as before, with no unknown count', async () => {
    const D = '2026-11-26';
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await seed(store, D);
    const { result } = await runDay(store, clock, 'r1', D);
    expect(result.summary).toEqual({ planned: 4, sent: 4, suppressed: 0, failed: 0, byReason: {} });
    expect(new Set(result.touches.map((t) => t.status))).toEqual(new Set(['sent']));
  });
});
