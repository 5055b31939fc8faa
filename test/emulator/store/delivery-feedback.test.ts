// Delivery feedback in DynamoDB Local (docs/delivery-feedback.md): a provider event finds its ledger
// row by message id through one small lookup item written at settle (no Scan, no index), lands on the
// row once however often it arrives, and several events of one message arriving together each land.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryEventEntry } from '../../../shared/domain/delivery-feedback.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { touch } from '../support/fixtures.js';

let store: DynamoStores;
beforeAll(async () => {
  ({ store } = await createTestStore());
});

const event = (type: string, state: DeliveryEventEntry['state'], at: string): DeliveryEventEntry => ({
  type,
  ...(state && { state }),
  at,
  id: `${type}#${at}`,
});

async function sent(occasion: string, messageId: string) {
  const t = touch({ occasion });
  await store.ledger.reserve(t, 'run-1', t.sendAt);
  await store.ledger.settle(t, { status: 'sent', providerMessageId: messageId }, t.sendAt);
  return t;
}

describe('delivery feedback in the store', () => {
  it('finds a sent message by its provider message id for one small read, and nothing for an unknown id', async () => {
    const t = await sent('o-lookup', 'msg-lookup-1');
    store.resetCapacity();
    expect(await store.ledger.findByMessageId('email', 'msg-lookup-1')).toEqual({
      campaignId: t.campaignId,
      stepId: t.stepId,
      customerId: t.customerId,
      channel: t.channel,
      occasion: t.occasion,
    });
    expect(store.capacity.read).toBeLessThanOrEqual(0.5);
    expect(await store.ledger.findByMessageId('sms', 'msg-lookup-1')).toBeUndefined();
    expect(await store.ledger.findByMessageId('email', 'never-sent')).toBeUndefined();
  });

  it('marks a settled send delivery sent, and keeps a delivered event that outran the settle', async () => {
    const t = await sent('o-sent', 'msg-sent');
    expect(await store.ledger.getDelivery(t)).toMatchObject({ status: 'sent', delivery: 'sent' });

    const early = touch({ occasion: 'o-early' });
    await store.ledger.reserve(early, 'run-1', early.sendAt);
    expect(
      await store.ledger.addDeliveryEvent(early, event('Delivery', 'delivered', '2026-11-26T09:00:01.000Z')),
    ).toBe('applied');
    await store.ledger.settle(early, { status: 'sent', providerMessageId: 'msg-early' }, early.sendAt);
    expect(await store.ledger.getDelivery(early)).toMatchObject({ status: 'sent', delivery: 'delivered' });
  });

  it('applies an event once: the same event again is a duplicate that writes nothing', async () => {
    const t = await sent('o-dup', 'msg-dup');
    const bounce = event('Bounce', 'bounced', '2026-11-26T09:00:02.000Z');
    store.resetCapacity();
    expect(await store.ledger.addDeliveryEvent(t, bounce)).toBe('applied');
    expect(store.capacity.write).toBe(1);
    store.resetCapacity();
    expect(await store.ledger.addDeliveryEvent(t, bounce)).toBe('duplicate');
    expect(store.capacity.write).toBe(0);
    expect((await store.ledger.getDelivery(t))?.deliveryEvents).toEqual([bounce]);
  });

  it('lands every one of several events of one message that arrive at once, each once', async () => {
    const t = await sent('o-race', 'msg-race');
    const events = [
      event('Send', 'sent', '2026-11-26T09:00:00.000Z'),
      event('Delivery', 'delivered', '2026-11-26T09:00:01.000Z'),
      event('Open', 'opened', '2026-11-26T09:05:00.000Z'),
      event('Click', 'clicked', '2026-11-26T09:06:00.000Z'),
      event('DeliveryDelay', undefined, '2026-11-26T09:00:00.500Z'),
    ];
    const outcomes = await Promise.all(
      [...events, ...events].map((e) => store.ledger.addDeliveryEvent(t, e)),
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(events.length);
    const row = await store.ledger.getDelivery(t);
    expect(row?.deliveryEvents?.map((e) => e.type).sort()).toEqual(events.map((e) => e.type).sort());
    expect(row?.delivery).toBe('clicked');
  });

  it('forgets the message id lookups of an erased customer, so later events of their messages match nothing', async () => {
    const t = await sent('o-erase', 'msg-erase');
    const other = touch({ customerId: 'c-keep', occasion: 'o-keep' });
    await store.ledger.reserve(other, 'run-1', other.sendAt);
    await store.ledger.settle(other, { status: 'sent', providerMessageId: 'msg-keep' }, other.sendAt);
    expect(await store.ledger.findByMessageId('email', 'msg-erase')).toBeDefined();
    await store.customers.eraseCustomer(t.customerId, 'anon-1', (v) => `p-${v}`);
    expect(await store.ledger.findByMessageId('email', 'msg-erase')).toBeUndefined();
    expect(await store.ledger.findByMessageId('email', 'msg-keep')).toBeDefined();
  });

  it('answers no-row for a key the ledger does not hold, and writes nothing', async () => {
    expect(
      await store.ledger.addDeliveryEvent(
        touch({ occasion: 'o-none' }),
        event('Send', 'sent', '2026-11-26T09:00:00.000Z'),
      ),
    ).toBe('no-row');
    expect(await store.ledger.getDelivery(touch({ occasion: 'o-none' }))).toBeUndefined();
  });
});
