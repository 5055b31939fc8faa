// The send path in the cloud, over in-memory ports: what happens after the ledger reserve when the
// template, the customer, the sender or the provider fails, and when a rate wait outlasts the window.
import { describe, expect, it } from 'vitest';
import { lazySender } from '../../../functions/commons/channels.js';
import { failureFrom } from '../../../shared/channels/errors.js';
import { TokenBucket, throttled } from '../../../shared/channels/throttle.js';
import { windowGuarded } from '../../../shared/channels/window-guard.js';
import type { OutgoingEmail, SendResult } from '../../../shared/ports/channels.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { runReport, summarizeRun } from '../../../shared/usecases/run/summarize-run.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, customer } from '../domain/fixtures.js';

/** Sends the run's first (here: only) batch, as the state machine's first Map item would. */
async function sendFirstBatch(
  run: { batches: { batchId: string }[] },
  deps: Parameters<typeof sendBatch>[0],
): ReturnType<typeof sendBatch> {
  const [batch] = run.batches;
  if (!batch) throw new Error('no batch planned');
  return sendBatch(deps, { runId: 'r1', batchId: batch.batchId });
}

const D = '2026-11-26';

/** `n` customers due today (window 09:00–18:00 UTC), email only, planned into run `runId`. */
async function plannedRun(store: MemoryStores, clock: ReturnType<typeof manualClock>, runId: string, n = 3) {
  await store.documents.putCustomers(
    Array.from({ length: n }, (_, i) =>
      customer(`c${i}`, { lastActivityAt: `${D}T12:00:00Z`, phone: undefined, timeZone: 'UTC' }),
    ),
  );
  await store.campaigns.putCampaign(campaign());
  await store.runs.putRunMeta({ runId, date: D, startedAt: clock.now().toISOString(), status: 'planning' });
  return planRun({ store, clock }, { runId, date: D });
}

const statuses = (store: MemoryStores) => [...store.ledger.rows.values()].map((d) => d.status).sort();

describe('a failure after the reserve never strands the key', () => {
  it('a template renamed after planning settles every touch failed, keys free, and the batch completes', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const renamed = campaign();
    await store.campaigns.putCampaign({
      ...renamed,
      steps: renamed.steps.map((s) => ({ ...s, template: 'renamed' })),
      templates: { renamed: renamed.templates.t ?? {} },
    });
    const email = recordingEmail();
    const deps = { store, email, sms: noSms, clock, links };
    const result = await sendFirstBatch(run, deps);
    expect(result).toMatchObject({ sent: 0, failed: 3 });
    expect(statuses(store)).toEqual(['failed', 'failed', 'failed']);
    expect([...store.ledger.rows.values()][0]?.error).toMatch(/TemplateNotFoundError/);
    // Free: a later run sends them once the template is back.
    await store.campaigns.putCampaign(campaign());
    const again = await planStartedRun({ store, clock }, { runId: 'r2', date: D });
    for (const b of again.batches) await sendBatch(deps, { runId: 'r2', batchId: b.batchId });
    expect(email.sent).toHaveLength(3);
    expect(statuses(store)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a sender whose build failed (a throttled GetAccount) settles the touch failed instead of leaving it reserved', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const email = lazySender<OutgoingEmail>(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    const result = await sendFirstBatch(run, { store, email, sms: noSms, clock, links });
    expect(result.failed).toBe(3);
    expect(statuses(store)).toEqual(['failed', 'failed', 'failed']);
  });

  it('a provider 5xx after which the message may be out settles unknown (held), never failed or retried', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1', 1);
    let calls = 0;
    const ambiguous = failureFrom(
      Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }),
    );
    const provider = {
      send: async (): Promise<SendResult> => {
        calls += 1;
        return ambiguous;
      },
    };
    const email = throttled(provider, new TokenBucket({ ratePerSecond: 100 }), {
      attempts: 5,
      baseMs: 0,
      maxMs: 0,
    });
    const result = await sendFirstBatch(run, { store, email, sms: noSms, clock, links });
    expect(calls).toBe(1);
    expect(result).toMatchObject({ failed: 0, unknown: 1 });
    expect(statuses(store)).toEqual(['unknown']);
  });

  it('classifies provider errors: throttling retried, a 4xx refusal failed, a 5xx or a reset maybe-sent', () => {
    const err = (name: string, status?: number, code?: string) =>
      Object.assign(new Error(name), {
        name,
        ...(status && { $metadata: { httpStatusCode: status } }),
        ...(code && { code }),
      });
    expect(failureFrom(err('ThrottlingException', 400))).toMatchObject({ retryable: true });
    expect(failureFrom(err('TooManyRequestsException', 429))).toMatchObject({ retryable: true });
    expect(failureFrom(err('X', undefined, 'ECONNREFUSED'))).toMatchObject({ retryable: true });
    expect(failureFrom(err('MessageRejected', 400))).toEqual(expect.objectContaining({ retryable: false }));
    expect(failureFrom(err('MessageRejected', 400)).maybeSent).toBeUndefined();
    expect(failureFrom(err('InternalFailure', 500))).toMatchObject({ retryable: false, maybeSent: true });
    expect(failureFrom(err('ServiceUnavailable', 503))).toMatchObject({ retryable: false, maybeSent: true });
    expect(failureFrom(err('Error', undefined, 'ECONNRESET'))).toMatchObject({
      retryable: false,
      maybeSent: true,
    });
    expect(failureFrom(err('TimeoutError'))).toMatchObject({ retryable: false, maybeSent: true });
  });
});

describe('a failed sender build is not cached', () => {
  it('one throttled GetAccount on a cold start fails that send only; the next send builds again', async () => {
    let builds = 0;
    const sender = lazySender<{ to: string }>(async () => {
      builds += 1;
      if (builds === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { send: async () => ({ ok: true, providerMessageId: 'm1' }) };
    });
    expect(await sender.send({ to: 'a' })).toMatchObject({ ok: false, retryable: false });
    expect(await sender.send({ to: 'b' })).toEqual({ ok: true, providerMessageId: 'm1' });
    expect(await sender.send({ to: 'c' })).toEqual({ ok: true, providerMessageId: 'm1' });
    expect(builds).toBe(2);
  });
});

describe('a customer erased during a run', () => {
  const pseudonym = (v: string) => `h${v.length}`;

  it('erased between planning and sending: no ledger row names them, and the batch completes', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    // The erase lands after the batch was read and before its customers are (the cloud's race).
    const getCustomers = store.due.getCustomers.bind(store.due);
    store.due.getCustomers = async (ids: readonly string[]) => {
      await store.customers.eraseCustomer('c1', 'anon-c1', pseudonym);
      return getCustomers(ids);
    };
    const email = recordingEmail();
    const [batch] = run.batches;
    if (!batch) throw new Error('no batch planned');
    const result = await sendBatch(
      {
        store,
        email,
        sms: noSms,
        clock,
        links,
      },
      { runId: 'r1', batchId: batch.batchId },
    );
    expect(result).toMatchObject({ sent: 2, suppressed: 1, failed: 0 });
    const rows = [...store.ledger.rows.values()];
    expect(rows.filter((d) => d.customerId === 'c1' || d.address === 'c1@example.com')).toEqual([]);
    expect(email.sent.map((m) => m.to)).not.toContain('c1@example.com');
  });

  it('erased during the send: settle does not throw and the batch records every outcome', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const run = await plannedRun(store, clock, 'r1');
    const email = recordingEmail({
      before: async (m) => {
        if (m.to === 'c1@example.com') await store.customers.eraseCustomer('c1', 'anon-c1', pseudonym);
        return undefined;
      },
    });
    const [batch] = run.batches;
    if (!batch) throw new Error('no batch planned');
    const result = await sendBatch(
      { store, email, sms: noSms, clock, links },
      { runId: 'r1', batchId: batch.batchId },
    );
    expect(result.sent).toBe(3);
    const rows = [...store.ledger.rows.values()];
    expect(rows.filter((d) => d.customerId === 'c1' || d.address === 'c1@example.com')).toEqual([]);
    expect((await store.runs.getRunBatch('r1', batch.batchId))?.results).toHaveLength(3);
  });
});

describe('the window end is checked when the provider is called', () => {
  it('a rate-limit wait that outlasts the window settles the touch expired and sends nothing', async () => {
    const clock = manualClock(`${D}T17:59:59Z`);
    const store = memoryStores(clock);
    clock.set(`${D}T09:00:00Z`);
    const run = await plannedRun(store, clock, 'r1', 1);
    clock.set(`${D}T17:59:59Z`);
    const provider = recordingEmail();
    // The rate limiter makes this send wait two seconds: past the window's 18:00 end.
    const slowLimiter = {
      acquire: async () => {
        clock.advance(2_000);
      },
    };
    const email = throttled(windowGuarded(provider, clock), slowLimiter, {
      attempts: 1,
      baseMs: 0,
      maxMs: 0,
    });
    const result = await sendFirstBatch(run, { store, email, sms: noSms, clock, links });
    expect(provider.sent).toEqual([]);
    expect(result).toMatchObject({ sent: 0, expired: 1 });
    expect(statuses(store)).toEqual(['expired']);
  });
});

describe('one batch failing does not drop the others', () => {
  it('a batch left without results is reported failed (batch-failed) and counted in failedBatches', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await store.documents.putCustomers(
      ['UTC', 'Asia/Tokyo'].map((timeZone, i) =>
        customer(`z${i}`, { lastActivityAt: `${D}T12:00:00Z`, phone: undefined, timeZone }),
      ),
    );
    await store.campaigns.putCampaign(campaign());
    const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
    expect(run.batches.length).toBe(2);
    const [first] = run.batches;
    if (!first) throw new Error('no batch planned');
    // Only the first batch ran; the other failed and the state machine's Catch let the run go on.
    clock.set(first.sendAt);
    await sendBatch(
      { store, email: recordingEmail(), sms: noSms, clock, links },
      { runId: 'r1', batchId: first.batchId },
    );
    const { summary } = await summarizeRun({ store, clock }, { runId: 'r1' });
    expect(summary).toMatchObject({ sent: 1, failed: 1, failedBatches: 1 });
    const report = await runReport(store, 'r1');
    expect(report.touches.map((t) => t.outcome).sort()).toEqual(['failed', 'sent']);
    expect(report.touches.find((t) => t.outcome === 'failed')?.outcomeReason).toBe('batch-failed');
  });
});
