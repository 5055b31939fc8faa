// Delivery feedback over in-memory ports, fed the provider's own payload shapes (contract tests:
// test/fixtures/delivery-events/ holds an SES event of each type as EventBridge delivers it and an
// End User Messaging SMS event of each status as its SNS destination delivers it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHandler, parseDeliveryEvents } from '../../../functions/delivery-events.js';
import { sesOutcome, sesRecords } from '../../../local/provider-simulators.js';
import { deliveryStateOf } from '../../../shared/domain/delivery-feedback.js';
import type { PlannedTouch, TouchKey } from '../../../shared/domain/touch.js';
import type { Log } from '../../../shared/observability/log.js';
import { MAX_DELIVERY_EVENTS } from '../../../shared/ports/ledger.js';
import { withFeedback } from '../../../shared/usecases/deliveries/list.js';
import { applyDeliveryFeedback, FeedbackTooEarlyError } from '../../../shared/usecases/delivery-feedback.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const SES_ID = '010001928c3e5f7a-4b1d2c3e-8f9a-4b5c-9d0e-1f2a3b4c5d6e-000000';
const SMS_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/delivery-events/${name}.json`, import.meta.url), 'utf8'));

const lines: { level: string; message: string; attrs: unknown }[] = [];
const log: Log = {
  debug: () => {},
  info: (message, attrs) => lines.push({ level: 'info', message, attrs }),
  warn: (message, attrs) => lines.push({ level: 'warn', message, attrs }),
  error: (message, attrs) => lines.push({ level: 'error', message, attrs }),
  with: () => log,
};

function touch(channel: 'email' | 'sms', address: string): PlannedTouch {
  return {
    campaignId: 'contract-renewal',
    stepId: 'd-14',
    customerId: 'c1',
    channel,
    occasion: 'k1',
    tier: 'standard',
    locale: 'en-US',
    dueDate: '2026-11-26',
    sendAt: '2026-11-26T01:00:00.000Z',
    windowEnd: '2026-11-26T13:00:00.000Z',
    status: 'planned',
    address,
    template: 't',
  };
}

/** A customer with one message sent on each channel, under the fixtures' message ids. */
async function sentLedger(): Promise<{ store: MemoryStores; email: TouchKey; sms: TouchKey }> {
  const store = memoryStores(clock);
  await store.documents.putCustomers([
    customer('c1', { email: 'recipient@example.com', phone: '+14255550156' }),
  ]);
  const email = touch('email', 'recipient@example.com');
  const sms = touch('sms', '+14255550156');
  for (const [t, id] of [
    [email, SES_ID],
    [sms, SMS_ID],
  ] as const) {
    await store.ledger.reserve(t, 'run-1', t.sendAt);
    await store.ledger.settle(t, { status: 'sent', providerMessageId: id }, t.sendAt);
  }
  return { store, email, sms };
}

// Late enough that no fixture event counts as young (the unmatched retry window).
const clock = manualClock('2026-12-01T00:00:00Z');

describe('delivery feedback: every event type the providers publish', () => {
  const cases: [string, string | undefined][] = [
    ['ses-send', 'sent'],
    ['ses-delivery', 'delivered'],
    ['ses-bounce-permanent', 'bounced'],
    ['ses-bounce-transient', 'bounced'],
    ['ses-complaint', 'complained'],
    ['ses-reject', 'rejected'],
    ['ses-rendering-failure', 'failed'],
    ['ses-delivery-delay', 'sent'],
    ['ses-open', 'opened'],
    ['ses-click', 'clicked'],
    ['sms-delivered', 'delivered'],
    ['sms-successful', 'delivered'],
    ['sms-queued', 'sent'],
    ['sms-pending', 'sent'],
    ['sms-blocked-opted-out', 'failed'],
    ['sms-carrier-unreachable', 'failed'],
    ['sms-unreachable', 'failed'],
    ['sms-invalid', 'failed'],
    ['sms-ttl-expired', 'failed'],
    ['sms-spam', 'failed'],
  ];
  it.each(cases)('%s lands on its ledger row by message id with delivery %s', async (name, state) => {
    const { store, email, sms } = await sentLedger();
    const out = await createHandler(store_(store), log)(fixture(name));
    expect(out).toEqual({ outcomes: ['applied'] });
    const row = await store.ledger.getDelivery(name.startsWith('ses') ? email : sms);
    expect(row?.deliveryEvents).toHaveLength(1);
    expect(withFeedback(row ?? fail()).delivery).toBe(state);
  });
});

const fail = (): never => {
  throw new Error('no row');
};
const store_ = (store: MemoryStores) => ({ store, clock });

describe('delivery feedback: effects', () => {
  it('a permanent bounce puts the address on the suppression list as bounced, and counts for the reputation guard', async () => {
    const { store } = await sentLedger();
    await createHandler(store_(store), log)(fixture('ses-bounce-permanent'));
    expect(await store.suppression.getSuppression('recipient@example.com')).toMatchObject({
      reason: 'bounced',
      source: 'bounce',
    });
    expect((await store.customers.getCustomer('c1'))?.consent.email).toBe(true);
    expect(JSON.stringify([...store.reputation.buckets.values()])).toContain('"bounced":1');
  });

  it('a transient bounce suppresses nothing and opts nobody out', async () => {
    const { store } = await sentLedger();
    await createHandler(store_(store), log)(fixture('ses-bounce-transient'));
    expect(store.suppression.entries.size).toBe(0);
  });

  it('a complaint suppresses the address as complained and opts the customer out of email, with the message id as evidence', async () => {
    const { store } = await sentLedger();
    await createHandler(store_(store), log)(fixture('ses-complaint'));
    expect(await store.suppression.getSuppression('recipient@example.com')).toMatchObject({
      reason: 'complained',
      source: 'complaint',
    });
    const c = await store.customers.getCustomer('c1');
    expect(c?.consent).toMatchObject({ email: false, sms: true });
    expect(await store.consent.consentHistory('c1')).toEqual([
      expect.objectContaining({ channel: 'email', value: false, source: 'complaint', evidence: SES_ID }),
    ]);
  });

  it('an SMS blocked because the number opted out opts the customer out of SMS', async () => {
    const { store } = await sentLedger();
    await createHandler(store_(store), log)(fixture('sms-blocked-opted-out'));
    expect((await store.customers.getCustomer('c1'))?.consent).toMatchObject({ sms: false, email: true });
  });

  it('an SMS to an invalid number puts the number on the suppression list as bounced', async () => {
    const { store } = await sentLedger();
    await createHandler(store_(store), log)(fixture('sms-invalid'));
    expect(await store.suppression.getSuppression('+14255550156')).toMatchObject({ reason: 'bounced' });
  });

  it('the same complaint twice has one effect: one timeline entry, one history entry, one reputation count', async () => {
    const { store, email } = await sentLedger();
    const handle = createHandler(store_(store), log);
    expect(await handle(fixture('ses-complaint'))).toEqual({ outcomes: ['applied'] });
    expect(await handle(fixture('ses-complaint'))).toEqual({ outcomes: ['duplicate'] });
    expect((await store.ledger.getDelivery(email))?.deliveryEvents).toHaveLength(1);
    expect(await store.consent.consentHistory('c1')).toHaveLength(1);
    expect(JSON.stringify([...store.reputation.buckets.values()])).toContain('"complained":1');
  });

  it('keeps the timeline in arrival order and delivery at the latest event: a late delivery does not undo a click', async () => {
    const { store, email } = await sentLedger();
    const handle = createHandler(store_(store), log);
    for (const name of ['ses-send', 'ses-click', 'ses-open', 'ses-delivery']) await handle(fixture(name));
    const row = await store.ledger.getDelivery(email);
    expect(row?.deliveryEvents?.map((e) => e.type)).toEqual(['Send', 'Click', 'Open', 'Delivery']);
    expect(row?.delivery).toBe('clicked');
  });

  it('records an event for an unknown message id and ignores it: nothing suppressed, no row changed', async () => {
    const { store, email } = await sentLedger();
    const event = fixture('ses-bounce-permanent');
    const other = JSON.parse(JSON.stringify(event).replaceAll(SES_ID, 'not-ours-000000'));
    lines.length = 0;
    expect(await createHandler(store_(store), log)(other)).toEqual({ outcomes: ['unmatched'] });
    expect(store.suppression.entries.size).toBe(0);
    expect((await store.ledger.getDelivery(email))?.deliveryEvents).toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', message: 'delivery event for an unknown message ignored' }),
    ]);
  });

  it('hands an unmatched event younger than the retry window back to the bus, since it may have outrun its settle', async () => {
    const store = memoryStores(clock);
    const young = parseDeliveryEvents(fixture('ses-delivery'));
    if (!young.ok) throw new Error(young.error);
    const [event] = young.events;
    if (!event) throw new Error('no event');
    const early = { ...event, at: clock.now().toISOString() };
    await expect(applyDeliveryFeedback({ store, clock }, early)).rejects.toBeInstanceOf(
      FeedbackTooEarlyError,
    );
  });

  it('stops a row timeline at its bound: a thousand opens are still one message', async () => {
    const { store, email } = await sentLedger();
    const handle = createHandler(store_(store), log);
    const open = fixture('ses-open');
    for (let i = 0; i < MAX_DELIVERY_EVENTS + 5; i += 1) {
      const at = new Date(Date.parse('2026-11-26T07:45:10.000Z') + i * 1000).toISOString();
      await handle(JSON.parse(JSON.stringify(open).replace('2026-11-26T07:45:10.000Z', at)));
    }
    expect((await store.ledger.getDelivery(email))?.deliveryEvents).toHaveLength(MAX_DELIVERY_EVENTS);
  });
});

describe('delivery feedback: malformed events are refused and change nothing', () => {
  const bad: [string, unknown][] = [
    ['an SES event without a message id', { source: 'aws.ses', detail: { eventType: 'Bounce', mail: {} } }],
    ['an SES event of an unknown type', { source: 'aws.ses', detail: { eventType: 'Teleport', mail: {} } }],
    ['an SNS record whose message is not JSON', { Records: [{ Sns: { Message: '{not json' } }] }],
    [
      'an SMS event of an unknown type',
      { Records: [{ Sns: { Message: JSON.stringify({ eventType: 'TEXT_TELEPORTED', messageId: 'x' }) } }] },
    ],
    ['an oversized SNS message', { Records: [{ Sns: { Message: 'x'.repeat(65 * 1024) } }] }],
    ['nothing at all', null],
  ];
  it.each(bad)('refuses %s', async (_, input) => {
    const { store, email } = await sentLedger();
    lines.length = 0;
    const out = await createHandler(store_(store), log)(input);
    expect(out).toMatchObject({ refused: expect.any(String) });
    expect(store.suppression.entries.size).toBe(0);
    expect((await store.ledger.getDelivery(email))?.deliveryEvents).toBeUndefined();
    expect(lines.map((l) => l.message)).toEqual(['delivery event refused']);
  });

  it('refuses a bounce whose message id carries a control character', () => {
    const event = JSON.parse(JSON.stringify(fixture('ses-bounce-permanent')).replaceAll(SES_ID, 'a\\u0000b'));
    expect(parseDeliveryEvents(event).ok).toBe(false);
  });
});

describe('deliveryStateOf', () => {
  it('takes the latest event by time, and on a tie the later stage of a message’s life', () => {
    expect(
      deliveryStateOf([
        { state: 'delivered', at: '2026-11-26T01:00:02.000Z' },
        { state: 'opened', at: '2026-11-26T01:00:02.000Z' },
        { at: '2026-11-26T05:00:00.000Z' },
      ]),
    ).toBe('opened');
    expect(deliveryStateOf([], 'sent')).toBe('sent');
  });
});

describe('the local mailbox simulator', () => {
  it('answers simulator addresses as SES does, labels included, and delivers every other address', () => {
    expect(sesOutcome('bounce+renewal@simulator.amazonses.com')).toEqual(['Send', 'Bounce']);
    expect(sesOutcome('Complaint@Simulator.AmazonSES.com')).toEqual(['Send', 'Delivery', 'Complaint']);
    expect(sesOutcome('suppressionlist@simulator.amazonses.com')).toEqual(['Send', 'Suppressed']);
    expect(sesOutcome('ooto@simulator.amazonses.com')).toEqual(['Send', 'Delivery']);
    expect(sesOutcome('bounce@example.com')).toEqual(['Send', 'Delivery']);
  });

  it('builds payloads the handler reads as the cloud ones: a listed address bounces permanently', () => {
    const at = new Date('2026-11-26T09:00:00.000Z');
    const records = sesRecords(
      {
        messageId: 'm-1',
        to: 'suppressionlist@simulator.amazonses.com',
        from: 'outreach@touchpoint.local',
        subject: 's',
        tags: { campaign: 'renewal' },
        configurationSet: 'MessagingEmailConfigurationSet',
      },
      at,
    );
    const parsed = records.map((detail) => parseDeliveryEvents({ source: 'aws.ses', detail }));
    expect(parsed.map((p) => (p.ok ? p.events[0]?.permanentBounce : p.error))).toEqual([false, true]);
  });
});
