// Proofs of the never-twice, never-lost ledger through the real state machine (ASL in
// aws-local-stepfunctions), DynamoDB Local, the local SES server and the SMS sink:
// (a) two runs of one day at once; (b) a run that dies between reserve and settle, then a rerun.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunExecutionError } from '../../../local/run-executor.js';
import type { EmailSender } from '../../../shared/ports/channels.js';
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
    const { deps, store } = await freshDeps(env);
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
    await expect(runAndReport(env, { ...deps, email: dying }, { date: '2025-04-20' })).rejects.toBeInstanceOf(
      RunExecutionError,
    );
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
    // The rows reserved by the dead run stay held; the review (older than the batch timeout) says unknown.
    const unknown = ledger
      .filter((d) => d.status === 'unknown')
      .map(keyOf)
      .sort();
    expect(unknown).toEqual(crashed.map(keyOf).sort());
    expect(ledger.filter((d) => d.status === 'sent')).toHaveLength(due - unknown.length);
    // The rerun planned them as held (the planner sees the reservation) and sent none of them again.
    const rerunOf = (k: string) => rerun.touches.find((t) => keyOf(t) === k);
    expect(unknown.map((k) => [rerunOf(k)?.outcome, rerunOf(k)?.outcomeReason])).toEqual(
      unknown.map(() => ['suppressed', 'already-sent']),
    );
  });
});
