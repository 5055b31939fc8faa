// Two-way SMS over in-memory ports: keywords change consent and are answered once in the
// customer's locale, other texts become sms.reply events, strangers get no answer, bad input
// changes nothing.
import { describe, expect, it } from 'vitest';
import { MAX_INBOUND_SMS_CHARS } from '../../../shared/domain/limits.js';
import type { OutgoingSms, SendResult } from '../../../shared/ports/channels.js';
import {
  INBOUND_RECEIPT_NAME,
  receiveSms,
  SMS_REPLY_EVENT,
} from '../../../shared/usecases/sms/receive-sms.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const CN = '+8613912345678';
const US = '+14155550123';
const AT = '2026-12-01T02:00:00.000Z';

function recordingSms() {
  const sent: OutgoingSms[] = [];
  return {
    sent,
    send: async (m: OutgoingSms): Promise<SendResult> => {
      sent.push(m);
      return { ok: true, providerMessageId: `sms-${sent.length}` };
    },
  };
}

async function setup() {
  const clock = manualClock('2026-12-01T02:00:00Z');
  const store = memoryStores(clock);
  await store.documents.putCustomers([
    customer('c-zh', { phone: CN, locale: 'zh-CN', timeZone: 'Asia/Shanghai' }),
    customer('c-en', { phone: US }),
  ]);
  const sms = recordingSms();
  return { store, sms, deps: { store, sms, clock } };
}

const payload = (from: string, text: string, id = 'in-1') => ({
  originationNumber: from,
  destinationNumber: '+15555550100',
  messageKeyword: 'KEYWORD_123456789012',
  messageBody: text,
  inboundMessageId: id,
  previousPublishedMessageId: 'prev-1',
});

describe('receiveSms', () => {
  it('opts out on 退订 with the text as evidence and answers once in Chinese, even when SNS delivers twice', async () => {
    const { store, sms, deps } = await setup();
    const first = await receiveSms(deps, payload(CN, ' 退订 '), AT);
    expect(first).toMatchObject({
      ok: true,
      value: { outcome: 'opt-out', customerIds: ['c-zh'], consent: { 'c-zh': 'applied' }, replied: true },
    });
    expect((await store.customers.getCustomer('c-zh'))?.consent.sms).toBe(false);
    expect(await store.consent.consentHistory('c-zh')).toEqual([
      expect.objectContaining({
        channel: 'sms',
        value: false,
        source: 'sms-keyword',
        evidence: ' 退订 ',
        at: AT,
      }),
    ]);
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]).toMatchObject({ to: CN, messageType: 'TRANSACTIONAL' });
    expect(sms.sent[0]?.text).toMatch(/退订/);

    const again = await receiveSms(deps, payload(CN, ' 退订 '), AT);
    expect(again).toMatchObject({ ok: true, value: { consent: { 'c-zh': 'unchanged' }, replied: false } });
    expect(sms.sent).toHaveLength(1);
    expect(await store.consent.consentHistory('c-zh')).toHaveLength(1);
  });

  it('opts back in on START and answers HELP in English without touching consent', async () => {
    const { store, sms, deps } = await setup();
    await receiveSms(deps, payload(US, 'STOP', 'in-1'), AT);
    await receiveSms(deps, payload(US, 'start', 'in-2'), '2026-12-01T03:00:00.000Z');
    expect((await store.customers.getCustomer('c-en'))?.consent.sms).toBe(true);
    const help = await receiveSms(deps, payload(US, 'help', 'in-3'), AT);
    expect(help).toMatchObject({ ok: true, value: { outcome: 'help', consent: {}, replied: true } });
    expect(sms.sent.map((m) => m.text)).toEqual([
      expect.stringMatching(/unsubscribed/),
      expect.stringMatching(/subscribed to our text messages again/),
      expect.stringMatching(/Reply STOP/),
    ]);
    expect((await store.consent.consentHistory('c-en')).map((h) => h.value)).toEqual([false, true]);
  });

  it('turns any other text into one sms.reply event per customer, with its first word as keyword', async () => {
    const { store, sms, deps } = await setup();
    const result = await receiveSms(deps, payload(US, 'renew please'), AT);
    expect(result).toMatchObject({
      ok: true,
      value: { outcome: 'reply', keyword: 'RENEW', customerIds: ['c-en'] },
    });
    const events = [...store.documents.events.values()];
    expect(events).toEqual([
      expect.objectContaining({
        customerId: 'c-en',
        type: SMS_REPLY_EVENT,
        occurredAt: AT,
        data: { keyword: 'RENEW', text: 'renew please' },
      }),
    ]);
    // Redelivered: the same event id, no second event, and no answer either time.
    expect(await receiveSms(deps, payload(US, 'renew please'), AT)).toMatchObject({
      value: { events: [{ duplicate: true }] },
    });
    expect(store.documents.events.size).toBe(1);
    expect(sms.sent).toHaveLength(0);
  });

  it('opts out every customer who shares the number, and answers once', async () => {
    const { store, sms, deps } = await setup();
    await store.documents.putCustomers([customer('c-en-2', { phone: US })]);
    const result = await receiveSms(deps, payload(US, 'STOP'), AT);
    expect(result).toMatchObject({ value: { customerIds: ['c-en', 'c-en-2'] } });
    expect((await store.customers.getCustomer('c-en-2'))?.consent.sms).toBe(false);
    expect(sms.sent).toHaveLength(1);
  });

  it('records a reply from an unknown number and sends it no answer', async () => {
    const { store, sms, deps } = await setup();
    const result = await receiveSms(deps, payload('+447700900123', 'STOP'), AT);
    expect(result).toEqual({ ok: true, value: { outcome: 'unknown-number', messageId: 'in-1' } });
    expect(sms.sent).toHaveLength(0);
    expect(await store.receipts.hasWebhookReceipt(INBOUND_RECEIPT_NAME, 'in-1')).toBe(true);
  });

  it.each([
    ['an oversized reply', payload(US, 'x'.repeat(MAX_INBOUND_SMS_CHARS + 1)), 'messageBody'],
    ['an empty reply', payload(US, '  '), 'messageBody'],
    ['a reply with control characters', payload(US, 'STOP\u0000'), 'messageBody'],
    ['a sender that is not a phone number', payload('not-a-number', 'STOP'), 'originationNumber'],
    ['a payload without a message id', { originationNumber: US, messageBody: 'STOP' }, 'inboundMessageId'],
    ['a payload that is not an object', 'STOP', ''],
  ])('refuses %s and changes nothing', async (_, raw, path) => {
    const { store, sms, deps } = await setup();
    const result = await receiveSms(deps, raw, AT);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
    expect((await store.customers.getCustomer('c-en'))?.consent.sms).toBe(true);
    expect(await store.consent.consentHistory('c-en')).toEqual([]);
    expect(store.documents.events.size).toBe(0);
    expect(sms.sent).toHaveLength(0);
    expect(await store.receipts.hasWebhookReceipt(INBOUND_RECEIPT_NAME, 'in-1')).toBe(false);
  });
});
