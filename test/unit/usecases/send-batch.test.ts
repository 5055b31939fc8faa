// SendBatch's races and failure paths over in-memory ports: the ledger's conditional write is
// the only thing standing between two runs and a double send, so every interleaving is checked.
import { describe, expect, it } from 'vitest';
import { type PlannedTouch, touchKeyString } from '../../../shared/domain/touch.js';
import { RESERVATION_TIMEOUT_MS } from '../../../shared/ports/ledger.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import {
  BatchOutOfTimeError,
  SETTLE_WAITS_MS,
  STOP_MARGIN_MS,
  sendBatch,
} from '../../../shared/usecases/run/send-batch.js';
import { summarizeRun } from '../../../shared/usecases/run/summarize-run.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, customer } from '../domain/fixtures.js';

const D = '2026-11-26';

/** Ten customers due today on a lastActivity step at offset 0, email only, planned into run `runId`. */
async function plannedRun(store: MemoryStores, clock: ReturnType<typeof manualClock>, runId: string) {
  await store.documents.putCustomers(
    Array.from({ length: 10 }, (_, i) =>
      customer(`c${i}`, { lastActivityAt: `${D}T12:00:00Z`, phone: undefined, timeZone: 'UTC' }),
    ),
  );
  await store.campaigns.putCampaign(campaign());
  await store.runs.putRunMeta({ runId, date: D, startedAt: clock.now().toISOString(), status: 'planning' });
  return planRun({ store, clock }, { runId, date: D });
}

describe('sendBatch over in-memory ports', () => {
  it('stops before the Lambda timeout with the rest unreserved, and the retry sends the rest and reports all sent', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r-time');
    const [batch] = run.batches;
    if (!batch) throw new Error('no batch planned');
    const email = recordingEmail();
    // The first invocation has time for four touches, then less than the margin.
    let budget = 4;
    const timeLeftMs = () => (budget-- > 0 ? STOP_MARGIN_MS + 1 : STOP_MARGIN_MS - 1);
    const deps = { store, email, sms: noSms, clock, links };
    const first = sendBatch({ ...deps, timeLeftMs }, { runId: 'r-time', batchId: batch.batchId });
    await expect(first).rejects.toBeInstanceOf(BatchOutOfTimeError);
    expect(email.sent).toHaveLength(4);
    // Nothing beyond what was sent is held: the rest is free for the retry.
    expect([...store.ledger.rows.values()].map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent']);

    const retry = await sendBatch(
      { ...deps, timeLeftMs: () => STOP_MARGIN_MS * 10 },
      { runId: 'r-time', batchId: batch.batchId },
    );
    expect(email.sent).toHaveLength(10);
    expect(new Set(email.sent.map((m) => m.to)).size).toBe(10);
    // What the first attempt sent is reported sent (this run sent it), not already-sent.
    expect(retry).toMatchObject({ sent: 10, suppressed: 0, failed: 0 });
  });

  it('sends each planned touch once and records the results on the batch', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const email = recordingEmail();
    const deps = { store, email, sms: noSms, clock, links };
    const results = await Promise.all(
      run.batches.map((b) => sendBatch(deps, { runId: 'r1', batchId: b.batchId })),
    );
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(10);
    expect(email.sent.map((m) => m.to).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `c${i}@example.com`).sort(),
    );
    expect([...store.ledger.rows.values()].every((d) => d.status === 'sent')).toBe(true);
    // A Step Functions retry of the same task finds the recorded results and sends nothing.
    for (const b of run.batches) await sendBatch(deps, { runId: 'r1', batchId: b.batchId });
    expect(email.sent).toHaveLength(10);
  });

  it('two runs of one day at once: every key is sent once, the loser reports already-sent', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const first = await plannedRun(store, clock, 'r1');
    const second = await planStartedRun({ store, clock }, { runId: 'r2', date: D });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const email = recordingEmail({ gate });
    const deps = { store, email, sms: noSms, clock, links, sleep: async () => release() };
    const all = await Promise.all([
      ...first.batches.map((b) => sendBatch(deps, { runId: 'r1', batchId: b.batchId })),
      ...second.batches.map((b) => sendBatch(deps, { runId: 'r2', batchId: b.batchId })),
    ]);
    expect(email.sent).toHaveLength(10);
    expect(new Set(email.sent.map((m) => m.to)).size).toBe(10);
    const sent = all.reduce((n, r) => n + r.sent, 0);
    const other = all.reduce((n, r) => n + r.suppressed + r.unknown, 0);
    expect(sent).toBe(10);
    expect(other).toBe(10);
    const reserves = store.ledger.calls.filter((c) => c.op === 'reserve');
    expect(reserves.filter((c) => c.won)).toHaveLength(10);
  });

  it('a reservation left by a crashed run is reported unknown and never sent again', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const batch = await store.runs.getRunBatch('r1', run.batches[0]?.batchId ?? '');
    const touch = batch?.touches[0] as PlannedTouch;
    // The crashed run reserved this key a lease ago (by the wall clock) and never settled it.
    clock.set(new Date(Date.parse(`${D}T09:00:00Z`) - RESERVATION_TIMEOUT_MS).toISOString());
    await store.ledger.reserve(touch, 'crashed', clock.now().toISOString());
    clock.set(`${D}T09:00:00Z`);
    const email = recordingEmail();
    const waits: number[] = [];
    const result = await sendBatch(
      { store, email, sms: noSms, clock, links, sleep: async (ms) => void waits.push(ms) },
      { runId: 'r1', batchId: batch?.batchId ?? '' },
    );
    expect(result.unknown).toBe(1);
    expect(waits).toEqual([]); // a dead holder is not waited for
    expect(email.sent.map((m) => m.to)).not.toContain(touch.address);
    expect(store.ledger.rows.size).toBe(10);
    expect(store.ledger.rows.get(touchKeyString(touch))).toMatchObject({
      status: 'unknown',
      reason: 'reserved-not-confirmed',
    });
  });

  it('waits for a fresh reservation of another run, then calls it unknown if it never settles', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const batch = await store.runs.getRunBatch('r1', run.batches[0]?.batchId ?? '');
    const touch = batch?.touches[0] as PlannedTouch;
    await store.ledger.reserve(touch, 'other', clock.now().toISOString());
    const waits: number[] = [];
    const email = recordingEmail();
    const result = await sendBatch(
      { store, email, sms: noSms, clock, links, sleep: async (ms) => void waits.push(ms) },
      { runId: 'r1', batchId: batch?.batchId ?? '' },
    );
    expect(waits).toEqual([...SETTLE_WAITS_MS]);
    expect(result.unknown).toBe(1);
    expect(result.sent).toBe(run.planned - 1);
  });

  it('a provider refusal settles the row failed, which frees the key for a later run', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const refusing = recordingEmail({ fail: { ok: false, retryable: false, error: 'MessageRejected' } });
    for (const b of run.batches)
      await sendBatch(
        { store, email: refusing, sms: noSms, clock, links },
        { runId: 'r1', batchId: b.batchId },
      );
    expect([...store.ledger.rows.values()].map((d) => d.status)).toEqual(Array(10).fill('failed'));
    const rerun = await planStartedRun({ store, clock }, { runId: 'r2', date: D });
    const email = recordingEmail();
    for (const b of rerun.batches)
      await sendBatch({ store, email, sms: noSms, clock, links }, { runId: 'r2', batchId: b.batchId });
    expect(email.sent).toHaveLength(10);
  });

  it('facts that changed since planning win: paused campaign and withdrawn consent suppress', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const c0 = await store.customers.getCustomer('c0');
    if (!c0) throw new Error('fixture');
    await store.documents.putCustomers([{ ...c0, consent: { email: false, sms: false } }]);
    const email = recordingEmail();
    for (const b of run.batches)
      await sendBatch({ store, email, sms: noSms, clock, links }, { runId: 'r1', batchId: b.batchId });
    expect(email.sent).toHaveLength(9);
    expect(store.ledger.rows.get(`camp|s1|c0|email|${D}`)?.reason).toBe('no-consent');
  });

  it('a batch that starts after its send window closed records the touches expired, unheld', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    clock.set(`${D}T18:00:00Z`);
    const email = recordingEmail();
    const results = [];
    for (const b of run.batches)
      results.push(
        await sendBatch({ store, email, sms: noSms, clock, links }, { runId: 'r1', batchId: b.batchId }),
      );
    expect(results.reduce((n, r) => n + r.expired, 0)).toBe(10);
    expect(email.sent).toHaveLength(0);
    // The run's summary counts them; an all-campaign run that completed marks its date done.
    const summary = await summarizeRun({ store, clock }, { runId: 'r1' });
    expect(summary.summary).toMatchObject({ planned: 10, sent: 0, expired: 10 });
    expect(await store.runs.completedDates(D, D)).toEqual(new Set([D]));
  });
});
