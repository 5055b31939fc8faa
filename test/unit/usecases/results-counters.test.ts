// The results counters (docs/cost.md): a run's outcomes, delivery feedback and prices go into
// aggregate rows as they happen, each once, so a report never reads the ledger.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { wholePlan, wholePlanWithCost } from '../../../local/cli/commands/plan-run.js';
import type { ApiClient } from '../../../local/cli/remote/client.js';
import { settingsSchema } from '../../../shared/domain/documents.js';
import { pricingCountry } from '../../../shared/domain/phone-country.js';
import { DEFAULT_PRICES, resolvePrices } from '../../../shared/domain/prices.js';
import { phoneCountry } from '../../../shared/domain/quiet-hours.js';
import { signUnsubscribeToken } from '../../../shared/domain/unsubscribe.js';
import type { SendResult } from '../../../shared/ports/channels.js';
import { sumCounts } from '../../../shared/ports/results.js';
import { changePreferences } from '../../../shared/usecases/consent/preferences.js';
import { applyDeliveryFeedback } from '../../../shared/usecases/delivery-feedback.js';
import { runIncrements } from '../../../shared/usecases/results/count-run.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { summarizeRun } from '../../../shared/usecases/run/summarize-run.js';
import { receiveSms } from '../../../shared/usecases/sms/receive-sms.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { MEMORY_API_TOKEN, memoryApi } from '../../support/fakes/memory-api.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, customer } from '../domain/fixtures.js';

const D = '2026-11-26';

/** Ten customers due today (one without email consent), planned, sent and summarized as run `runId`. */
async function sentRun(store: MemoryStores, clock: ReturnType<typeof manualClock>, runId: string) {
  await store.documents.putCustomers(
    Array.from({ length: 10 }, (_, i) =>
      customer(`c${i}`, {
        lastActivityAt: `${D}T12:00:00Z`,
        phone: undefined,
        timeZone: 'UTC',
        ...(i === 0 && { consent: { email: false, sms: false } }),
      }),
    ),
  );
  await store.campaigns.putCampaign(campaign());
  await store.runs.putRunMeta({ runId, date: D, startedAt: clock.now().toISOString(), status: 'planning' });
  const run = await planRun({ store, clock }, { runId, date: D });
  const email = recordingEmail();
  for (const b of run.batches)
    await sendBatch({ store, email, sms: noSms, clock, links }, { runId, batchId: b.batchId });
  return email;
}

describe('the results counters', () => {
  it('counts a run into the counters once, even when SummarizeRun is retried', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await sentRun(store, clock, 'r1');
    const first = await summarizeRun({ store, clock }, { runId: 'r1' });
    await summarizeRun({ store, clock }, { runId: 'r1' });

    const rows = await store.results.read({ campaignId: 'camp', from: D, to: D });
    const counts = sumCounts(rows);
    expect(counts).toMatchObject({ planned: 10, sent: 9, 'suppressed.no-consent': 1 });
    // Nine emails at the SES default ($0.10 per 1,000): 100 millionths of a dollar each.
    expect(counts['cost.messages']).toBe(900);
    expect(counts['cost.infra']).toBeGreaterThan(0);
    // Rows are kept by campaign, due day, step, channel, tier and locale.
    expect(rows.map((r) => [r.day, r.stepId, r.channel, r.locale])).toContainEqual([
      D,
      's1',
      'email',
      'en-US',
    ]);
    // RunCompleted carries the same counts, per campaign, and the run's cost.
    expect(first.results.campaigns.camp).toEqual({
      planned: 10,
      sent: 9,
      failed: 0,
      expired: 0,
      unknown: 0,
      suppressed: { 'no-consent': 1 },
    });
    expect(first.results.cost).toMatchObject({
      currency: 'USD',
      messages: 0.0009,
      pricesAsOf: DEFAULT_PRICES.asOf,
    });
    expect(first.results.cost.total).toBeCloseTo(0.0009 + first.results.cost.infra, 6);
  });

  it('counts the sends of a batch as soon as the batch records them, before the run completes, and once though the batch is retried', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await sentRun(store, clock, 'r1');
    const before = sumCounts(await store.results.read({ campaignId: 'camp', from: D, to: D }));
    // Sent touches are counted by their batch; suppressed-at-planning ones wait for SummarizeRun.
    expect(before).toMatchObject({ planned: 9, sent: 9, 'cost.messages': 900 });
    expect(before['suppressed.no-consent']).toBeUndefined();
    const [batch] = (await store.runs.getRunReport('r1'))?.batches ?? [];
    if (!batch) throw new Error('a batch was planned');
    await sendBatch(
      { store, email: recordingEmail(), sms: noSms, clock, links },
      { runId: 'r1', batchId: batch.batchId },
    );
    await summarizeRun({ store, clock }, { runId: 'r1' });
    const after = sumCounts(await store.results.read({ campaignId: 'camp', from: D, to: D }));
    expect(after).toMatchObject({ planned: 10, sent: 9, 'suppressed.no-consent': 1, 'cost.messages': 900 });
  });

  it('does not count a touch another run already holds (already-sent) a second time when the day is rerun', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await sentRun(store, clock, 'r1');
    await summarizeRun({ store, clock }, { runId: 'r1' });
    const rerun = await planStartedRun({ store, clock }, { runId: 'r2', date: D });
    expect(rerun.planned).toBe(0);
    await summarizeRun({ store, clock }, { runId: 'r2' });
    const counts = sumCounts(await store.results.read({ campaignId: 'camp', from: D, to: D }));
    expect(counts.sent).toBe(9);
    expect(counts['suppressed.already-sent']).toBeUndefined();
  });

  it('counts a row delivered and opened once however many events say so, and a replayed event not at all', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await sentRun(store, clock, 'r1');
    clock.set(`${D}T10:00:00Z`);
    const feedback = (id: string, type: string, state: 'delivered' | 'opened' | 'clicked') =>
      applyDeliveryFeedback(
        { store, clock },
        {
          id,
          type,
          state,
          at: `${D}T09:30:00Z`,
          channel: 'email',
          messageId: 'msg-1',
          recipients: [],
          permanentBounce: false,
          complaint: false,
          optedOut: false,
        },
      );
    await feedback('e1', 'Delivery', 'delivered');
    await feedback('e1', 'Delivery', 'delivered');
    await feedback('e2', 'Open', 'opened');
    await feedback('e3', 'Open', 'opened');
    await feedback('e4', 'Click', 'clicked');
    const counts = sumCounts(await store.results.read({ campaignId: 'camp', from: D, to: D }));
    expect(counts).toMatchObject({ delivered: 1, opened: 1, clicked: 1 });
  });

  it('counts a carrier opt-out as unsubscribed on the row of the message that caused it', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await sentRun(store, clock, 'r1');
    const optOut = {
      id: 'o1',
      type: 'TEXT_BLOCKED',
      at: `${D}T09:30:00Z`,
      channel: 'email' as const,
      messageId: 'msg-2',
      recipients: [],
      permanentBounce: false,
      complaint: false,
      optedOut: true,
    };
    await applyDeliveryFeedback({ store, clock }, optOut);
    await applyDeliveryFeedback({ store, clock }, { ...optOut, id: 'o2' });
    const counts = sumCounts(await store.results.read({ campaignId: 'camp', from: D, to: D }));
    expect(counts.unsubscribed).toBe(1);
  });
});

describe('unsubscribes through a link', () => {
  it('counts an unsubscribe link once on the row of the message it came with, however often it is clicked', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    await sentRun(store, clock, 'r1');
    const token = signUnsubscribeToken(links.unsubscribeSecret, {
      customerId: 'c3',
      channel: 'email',
      topic: 'camp',
      issuedAt: `${D}T09:00:00Z`,
    });
    clock.set(`${D}T15:00:00Z`);
    const deps = { store, clock, secret: links.unsubscribeSecret };
    expect(await changePreferences(deps, token, { kind: 'one-click' })).toMatchObject({
      ok: true,
      changed: 1,
    });
    await changePreferences(deps, token, { kind: 'one-click' });
    await changePreferences(deps, token, { kind: 'channel-off' });
    const counts = sumCounts(await store.results.read({ campaignId: 'camp', from: D, to: D }));
    expect(counts.unsubscribed).toBe(1);
  });
});

describe('unsubscribes through an SMS STOP', () => {
  it('counts a STOP once as unsubscribed on the row of the last SMS the customer was sent, though SNS delivers it twice', async () => {
    const clock = manualClock(`${D}T09:00:00Z`);
    const store = memoryStores(clock);
    const phone = '+14155550123';
    await store.documents.putCustomers([
      customer('k1', { lastActivityAt: `${D}T12:00:00Z`, phone, timeZone: 'UTC', monthlyValue: 600 }),
    ]);
    await store.campaigns.putCampaign(campaign());
    const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
    let n = 0;
    const sms = { send: async (): Promise<SendResult> => ({ ok: true, providerMessageId: `sms-${++n}` }) };
    for (const b of run.batches)
      await sendBatch(
        { store, email: recordingEmail(), sms, clock, links },
        { runId: 'r1', batchId: b.batchId },
      );
    expect(n).toBe(1);
    clock.set(`${D}T18:00:00Z`);
    const stop = {
      originationNumber: phone,
      destinationNumber: '+15555550100',
      messageKeyword: 'KEYWORD_123456789012',
      messageBody: 'STOP',
      inboundMessageId: 'in-1',
      previousPublishedMessageId: 'prev-1',
    };
    await receiveSms({ store, sms, clock }, stop, `${D}T18:00:00.000Z`);
    await receiveSms({ store, sms, clock }, stop, `${D}T18:00:00.000Z`);
    const rows = await store.results.read({ campaignId: 'camp', from: D, to: D });
    expect(rows.filter((r) => r.counts.unsubscribed).map((r) => [r.channel, r.counts.unsubscribed])).toEqual([
      ['sms', 1],
    ]);
  });
});

describe('the plan says what its run would cost', () => {
  it('GET /v1/plan carries the estimated cost of the run it describes, and touchpoint plan --json stays the contract document', async () => {
    const m = memoryApi();
    await m.store.documents.putCustomers(
      Array.from({ length: 3 }, (_, i) =>
        customer(`c${i}`, { lastActivityAt: `${D}T12:00:00Z`, phone: undefined, timeZone: 'UTC' }),
      ),
    );
    await m.store.campaigns.putCampaign(campaign());
    const res = await m.api.request(`/v1/plan?date=${D}`, {
      headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const body = z
      .object({
        summary: z.object({ planned: z.number() }),
        cost: z.object({ messages: z.number(), total: z.number(), currency: z.string() }),
      })
      .parse(await res.json());
    expect(body.summary.planned).toBe(3);
    // Three emails at $0.10 per 1,000, and the run's own (small, positive) infrastructure.
    expect(body.cost.messages).toBe(0.0003);
    expect(body.cost.currency).toBe('USD');
    expect(body.cost.total).toBeGreaterThan(0.0003);
    const client: ApiClient = {
      origin: 'http://memory',
      async call(method, path, opts = {}) {
        const url = new URL(path, 'http://memory');
        for (const [k, v] of Object.entries(opts.query ?? {}))
          if (v !== undefined) url.searchParams.set(k, v);
        const r = await m.api.request(`${url.pathname}${url.search}`, {
          method,
          headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` },
        });
        return { status: r.status, body: await r.json() };
      },
    };
    const printed = await wholePlan(client, D, undefined);
    expect(Object.keys(printed)).toEqual(['date', 'touches', 'summary']);
    expect((await wholePlanWithCost(client, D, undefined)).cost).toMatchObject(body.cost);
  });
});

describe('prices', () => {
  it('prices an SMS by the country libphonenumber gives its number, without loading its metadata in the run', () => {
    for (const phone of [
      '+14155550123',
      '+16135550123',
      '+447400123456',
      '+4915112345678',
      '+33612345678',
      '+61412345678',
      '+35312345678',
    ])
      expect(pricingCountry(phone), phone).toBe(phoneCountry(phone));
    expect(pricingCountry('0151 1234')).toBeUndefined();
  });

  it('prices an SMS by its destination country, a sent email at the SES list price, and shares the run cost out', () => {
    const touch = (i: number, channel: 'email' | 'sms', address: string) => ({
      campaignId: 'camp',
      stepId: 's1',
      channel,
      tier: 'key',
      locale: 'en-US',
      dueDate: D,
      status: 'planned' as const,
      address,
      outcome: 'sent',
      seq: i,
    });
    const { increments, counts } = runIncrements(
      [touch(0, 'email', 'a@example.com'), touch(1, 'sms', '+14155550123'), touch(2, 'sms', '+447400123456')],
      { prices: DEFAULT_PRICES, batches: 1, smsTypeOf: () => 'promotional' },
    );
    const micros = increments.map((i) => i.counts['cost.messages']);
    expect(micros).toEqual([100, 5810, 39500]);
    const infra = increments.reduce((n, i) => n + (i.counts['cost.infra'] ?? 0), 0);
    expect(infra / 1e6).toBeCloseTo(counts.cost.infra, 6);
  });

  it('takes settings prices over the defaults and refuses a negative or unknown price', () => {
    const settings = settingsSchema.parse({
      tiers: [{ id: 'standard', minMonthlyValue: 0 }],
      prices: {
        currency: 'EUR',
        email: { perThousand: 0.09 },
        sms: { byCountry: { DE: { promotional: 0.07, transactional: 0.08 } } },
      },
    });
    const prices = resolvePrices(settings.prices);
    expect(prices.currency).toBe('EUR');
    expect(prices.email.perThousand).toBe(0.09);
    expect(prices.sms.byCountry.DE).toEqual({ promotional: 0.07, transactional: 0.08 });
    expect(prices.sms.byCountry.US).toEqual(DEFAULT_PRICES.sms.byCountry.US);
    expect(prices.lambda).toEqual(DEFAULT_PRICES.lambda);
    const bad = (prices: unknown) =>
      settingsSchema.safeParse({ tiers: [{ id: 'standard', minMonthlyValue: 0 }], prices }).success;
    expect(bad({ email: { perThousand: -1 } })).toBe(false);
    expect(bad({ fax: { perPage: 1 } })).toBe(false);
    expect(bad({ sms: { byCountry: { usa: { promotional: 1, transactional: 1 } } } })).toBe(false);
  });
});
