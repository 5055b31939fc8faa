// Proofs of the never-twice, never-lost ledger through the real state machine (ASL in
// aws-local-stepfunctions), DynamoDB Local, the local SES server and the SMS sink:
// (a) two runs of one day at once; (b) a run that dies between reserve and settle, then a rerun;
// (c) a future-dated run that dies between reserve and send: what the reruns report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseCommand, unknownNextSteps } from '../../../local/cli/commands/plan-run.js';
import type { EmailSender } from '../../../shared/ports/channels.js';
import { RESERVATION_TIMEOUT_MS } from '../../../shared/ports/ledger.js';
import { releaseDelivery } from '../../../shared/usecases/deliveries/release.js';
import { runResult } from '../../../shared/usecases/runs/run-result.js';
import { manualClock } from '../../support/fakes/memory-stores.js';
import {
  birthdayCustomers,
  dueTouches,
  type EngineEnv,
  freshDeps,
  keyOf,
  mailsTo,
  openEngineEnv,
  runAndReport,
  smsTo,
} from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('once');
});
afterAll(async () => {
  await engine?.close();
});

describe('two runs of the same day at once', () => {
  it('send every due touch exactly once: 0 duplicates, 0 missing from the ledger', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    const customers = birthdayCustomers('conc', 200, '03-10');
    await store.documents.putCustomers(customers);
    const due = dueTouches(customers);

    const [a, b] = await Promise.all([
      runAndReport(env, deps, { date: '2025-03-10' }),
      runAndReport(env, deps, { date: '2025-03-10' }),
    ]);

    const mails = await mailsTo(env, 'conc-');
    expect(mails.size).toBe(customers.length);
    expect([...mails.values()].filter((n) => n !== 1)).toEqual([]);
    const phones = new Set(customers.flatMap((c) => (c.phone ? [c.phone] : [])));
    const sms = await smsTo(env, phones);
    expect(sms.size).toBe(phones.size);
    expect([...sms.values()].filter((n) => n !== 1)).toEqual([]);

    const sentA = a.touches.filter((t) => t.outcome === 'sent').map(keyOf);
    const sentB = b.touches.filter((t) => t.outcome === 'sent').map(keyOf);
    expect(sentA.length + sentB.length).toBe(due);
    expect(sentA.filter((k) => sentB.includes(k))).toEqual([]);

    const ledger = await store.ledger.listDeliveries({ campaignId: 'birthday' });
    expect(ledger).toHaveLength(due);
    expect(ledger.filter((d) => d.status !== 'sent')).toEqual([]);
  });
});

describe('a run killed between reserve and settle, then rerun', () => {
  it('never sends twice, loses nothing, and reports the crashed touches unknown', async () => {
    const { env } = engine;
    const wall = manualClock(new Date().toISOString());
    const { deps, store } = await freshDeps(env, { wallClock: wall });
    // 40 customers, 48 touches: one batch, so the failed execution leaves no other batch still sending.
    const customers = birthdayCustomers('kill', 40, '04-20');
    await store.documents.putCustomers(customers);
    const due = dueTouches(customers);

    // After k sends the "process" is dead: each later call reaches the provider, then the handler
    // dies before it can settle (the worst case: the message went out, the ledger never heard).
    const k = 12;
    let sends = 0;
    const dying: EmailSender = {
      send: async (message) => {
        const result = await env.deps.email.send(message);
        sends += 1;
        if (sends > k) throw new Error('simulated crash after the provider accepted the message');
        return result;
      },
    };
    // The dying batch fails on every retry; the state machine catches it and the run completes
    // saying it partly failed (the other batches, if any, would still have gone on).
    const dead = await runAndReport(env, { ...deps, email: dying }, { date: '2025-04-20' });
    expect((await store.runs.getRunMeta(dead.runId))?.summary?.failedBatches).toBe(1);
    // The rerun comes after the dead run's leases ran out (by the wall clock).
    wall.advance(RESERVATION_TIMEOUT_MS);
    const crashed = (await store.ledger.listDeliveries({ campaignId: 'birthday' })).filter(
      (d) => d.status === 'unknown',
    );
    expect(crashed.length).toBeGreaterThan(0);

    const rerun = await runAndReport(env, deps, { date: '2025-04-20' });

    const mails = await mailsTo(env, 'kill-');
    expect(mails.size).toBe(customers.length);
    expect([...mails.values()].filter((n) => n !== 1)).toEqual([]);

    const ledger = await store.ledger.listDeliveries({ campaignId: 'birthday' });
    expect(new Set(ledger.map(keyOf)).size).toBe(due);
    expect(ledger).toHaveLength(due);
    // The rows reserved by the dead run stay held, and the ledger now says unknown.
    const unknown = ledger
      .filter((d) => d.status === 'unknown')
      .map(keyOf)
      .sort();
    expect(unknown).toEqual(crashed.map(keyOf).sort());
    expect(ledger.filter((d) => d.status === 'sent')).toHaveLength(due - unknown.length);
    // The rerun found them held, sent none of them again, and says unknown, never already-sent.
    const rerunOf = (k: string) => rerun.touches.find((t) => keyOf(t) === k);
    expect(unknown.map((k) => [rerunOf(k)?.outcome, rerunOf(k)?.outcomeReason])).toEqual(
      unknown.map(() => ['unknown', 'reserved-not-confirmed']),
    );
    const stored = await store.ledger.getDeliveries(crashed);
    expect([...stored.values()].map((d) => d.status)).toEqual(crashed.map(() => 'unknown'));
  });
});

describe('a future-dated run killed between reserve and send, then rerun', () => {
  it('reports the touches it reserved unknown with the next step, never already-sent, and sends each at most once', async () => {
    const { env } = engine;
    // The run's clock is simulated (each batch runs at its sendAt, here in 2030); leases use the wall clock.
    const wall = manualClock(new Date().toISOString());
    const { deps, store } = await freshDeps(env, { wallClock: wall });
    const customers = birthdayCustomers('fut', 30, '01-01');
    await store.documents.putCustomers(customers);
    const due = dueTouches(customers);

    // After k sends the process dies between the reserve and the provider call: nothing went out.
    const k = 10;
    let calls = 0;
    const dying: EmailSender = {
      send: async (message) => {
        calls += 1;
        if (calls > k) throw new Error('simulated crash after the reserve, before the provider call');
        return env.deps.email.send(message);
      },
    };
    // The dying batch fails on every retry; the state machine catches it and the run completes
    // saying it partly failed (the other batches, if any, would still have gone on).
    const dead = await runAndReport(env, { ...deps, email: dying }, { date: '2030-01-01' });
    expect((await store.runs.getRunMeta(dead.runId))?.summary?.failedBatches).toBe(1);
    const afterCrash = await store.ledger.listDeliveries({ campaignId: 'birthday' });
    const sentBefore = afterCrash.filter((d) => d.status === 'sent').length;
    const held = afterCrash.filter((d) => d.status === 'reserved' || d.status === 'unknown');
    expect(held.length).toBeGreaterThan(0);
    const heldKeys = held.map(keyOf).sort();

    // A rerun at once: the newest reservation may still be some run's send in flight. Unknown, not sent.
    const soon = await runAndReport(env, deps, { date: '2030-01-01' });
    const soonOf = (key: string) => soon.touches.find((t) => keyOf(t) === key);
    expect(heldKeys.map((key) => soonOf(key)?.outcome)).toEqual(heldKeys.map(() => 'unknown'));
    // It sends the touches the dead run never reached, and none of the held ones.
    expect(soon.touches.filter((t) => t.outcome === 'sent').length).toBe(due - sentBefore - heldKeys.length);

    // Past the lease by the wall clock (the simulated date says nothing about it): unknown on the ledger.
    wall.advance(RESERVATION_TIMEOUT_MS);
    const later = await runAndReport(env, deps, { date: '2030-01-01' });
    const result = await runResult(store, later.runId);
    if (!result) throw new Error('no run result');
    const rowOf = (key: string) => result.touches.find((t) => keyOf(t) === key);
    expect(heldKeys.map((key) => [rowOf(key)?.status, rowOf(key)?.reason])).toEqual(
      heldKeys.map(() => ['unknown', 'reserved-not-confirmed']),
    );
    expect(result.summary).toMatchObject({ sent: 0, failed: 0, unknown: heldKeys.length });
    expect(result.summary.suppressed).toBe(due - heldKeys.length); // the k sent ones: already-sent
    const ledger = await store.ledger.listDeliveries({ campaignId: 'birthday' });
    expect(
      ledger
        .filter((d) => d.status === 'unknown')
        .map(keyOf)
        .sort(),
    ).toEqual(heldKeys);
    // The human output names the next step and the command that releases each key.
    const steps = unknownNextSteps(result).join('\n');
    expect(steps).toContain("provider's logs");
    for (const key of held) expect(steps).toContain(releaseCommand(key));

    // Nobody got a message twice; the crashed ones got none.
    const mails = await mailsTo(env, 'fut-');
    expect([...mails.values()].filter((n) => n !== 1)).toEqual([]);
    const crashedEmail = held.filter((d) => d.channel === 'email').map((d) => d.address);
    expect(crashedEmail.filter((a) => a !== undefined && mails.has(a))).toEqual([]);

    // The operator finds one unsent in the provider's logs and releases it: the next run sends it, once.
    const [lost] = held.filter((d) => d.channel === 'email');
    if (!lost) throw new Error('fixture: no email among the crashed touches');
    expect(await releaseDelivery({ ledger: store.ledger, clock: wall }, lost)).toMatchObject({
      released: true,
    });
    const after = await runAndReport(env, deps, { date: '2030-01-01' });
    expect(after.touches.find((t) => keyOf(t) === keyOf(lost))?.outcome).toBe('sent');
    expect((await mailsTo(env, 'fut-')).get(lost.address ?? '')).toBe(1);
  });
});
