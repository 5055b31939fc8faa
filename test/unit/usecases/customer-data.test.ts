// Ingest and erase over in-memory ports (delivery feedback: delivery-feedback.test.ts).
import { describe, expect, it } from 'vitest';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import type { ErasureSubject, PersonalDataStore } from '../../../shared/ports/customer-data.js';
import { eraseCustomer, pseudonymOf } from '../../../shared/usecases/customers/erase-customer.js';
import { ingestEvent, UnknownCustomerError } from '../../../shared/usecases/ingest-event.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const clock = manualClock('2026-11-26T09:00:00Z');
const event = { id: 'ev-1', customerId: 'c1', type: 'app.login', occurredAt: '2026-11-25T08:00:00Z' };

describe('ingestEvent', () => {
  it('stores a new event once; the same id again is a duplicate with no second effect', async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([customer('c1', { timeZone: 'UTC' })]);
    expect(await ingestEvent({ store }, event)).toMatchObject({ duplicate: false });
    expect(await ingestEvent({ store }, { ...event, type: 'changed' })).toMatchObject({ duplicate: true });
    expect([...store.documents.events.values()]).toEqual([event]);
    // The event moved the customer's last activity (every type counts by default).
    expect(await store.due.customersLastActiveOn('2026-11-25')).toEqual(['c1']);
  });

  it('refuses an event for an unknown customer and stores nothing', async () => {
    const store = memoryStores(clock);
    await expect(ingestEvent({ store }, event)).rejects.toBeInstanceOf(UnknownCustomerError);
    expect(store.documents.events.size).toBe(0);
  });

  it('refuses an event that is not an Event document', async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([customer('c1')]);
    await expect(ingestEvent({ store }, { ...event, occurredAt: 'yesterday' })).rejects.toThrow();
    expect(store.documents.events.size).toBe(0);
  });
});

describe('eraseCustomer', () => {
  it('deletes the profile, contracts and events, keeps ledger rows under a keyed pseudonym', async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([customer('c1'), customer('c2')]);
    await store.documents.putEvents([event]);
    const touch = {
      campaignId: 'camp',
      stepId: 's1',
      customerId: 'c1',
      channel: 'email' as const,
      occasion: '2026-11-25',
      tier: 'standard',
      locale: 'en-US',
      dueDate: '2026-11-26',
      sendAt: '2026-11-26T17:00:00.000Z',
      windowEnd: '2026-11-27T02:00:00.000Z',
      status: 'planned' as const,
      address: 'c1@example.com',
      template: 't',
    };
    await store.ledger.reserve(touch, 'r1', clock.now().toISOString());
    await store.ledger.settle(touch, { status: 'sent', providerMessageId: 'm-1' }, clock.now().toISOString());

    const report = await eraseCustomer({ store, clock, pseudonymKey: 'k'.repeat(32) }, 'c1');
    const anonymousId = `anon-${pseudonymOf('k'.repeat(32), 'c1')}`;
    expect(report).toEqual({
      anonymousId,
      profile: true,
      ledgerRows: 1,
      contracts: 0,
      events: 1,
      runTouches: 0,
      elsewhere: {},
    });
    expect(await store.customers.getCustomer('c1')).toBeUndefined();
    expect(await store.customers.getCustomer('c2')).toBeDefined();
    const rows = await store.ledger.listDeliveries({});
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customerId: anonymousId, status: 'sent', campaignId: 'camp' });
    expect(JSON.stringify(rows)).not.toContain('c1@example.com');
    expect(JSON.stringify(rows)).not.toContain('m-1');
    // The receipt that outlives the erasure holds no personal data.
    expect([...store.documents.erasures.values()]).toEqual([
      {
        anonymousId,
        erasedAt: clock.now().toISOString(),
        profile: true,
        ledgerRows: 1,
        contracts: 0,
        events: 1,
        runTouches: 0,
      },
    ]);
    // Nothing left to erase: a second call says so.
    expect(await eraseCustomer({ store, clock, pseudonymKey: 'k'.repeat(32) }, 'c1')).toBeUndefined();
  });

  it('erase hands the stores outside the table every address and message id of the customer, before the table forgets them', async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([
      customer('c1', { email: ' C1@Example.com ', phone: '+14155550123' }),
    ]);
    const touch = (over: Partial<PlannedTouch>): PlannedTouch => ({
      campaignId: 'camp',
      stepId: 's1',
      customerId: 'c1',
      channel: 'email',
      occasion: '2026-11-25',
      tier: 'standard',
      locale: 'en-US',
      dueDate: '2026-11-26',
      sendAt: '2026-11-26T17:00:00.000Z',
      windowEnd: '2026-11-27T02:00:00.000Z',
      status: 'planned',
      template: 't',
      ...over,
    });
    // An earlier address the profile no longer has, and a send that never settled.
    const old = touch({ address: 'old@example.com', occasion: 'o1' });
    await store.ledger.reserve(old, 'r1', clock.now().toISOString());
    await store.ledger.settle(old, { status: 'sent', providerMessageId: 'm-old' }, clock.now().toISOString());
    await store.ledger.reserve(
      touch({ address: 'c1@example.com', occasion: 'o2' }),
      'r2',
      clock.now().toISOString(),
    );
    await store.runs.putRunBatches([
      {
        runId: 'r2',
        batchId: 'b',
        sendAt: '2026-11-26T17:00:00.000Z',
        touches: [touch({ address: 'c1@example.com', occasion: 'o2' })],
      },
    ]);

    const seen: { subject: ErasureSubject; profileThen: boolean }[] = [];
    const outside: PersonalDataStore = {
      name: 'outside',
      erase: async (subject) => {
        seen.push({ subject, profileThen: (await store.customers.getCustomer('c1')) !== undefined });
        return 2;
      },
    };
    const report = await eraseCustomer(
      { store, clock, pseudonymKey: 'k'.repeat(32), elsewhere: [outside] },
      'c1',
    );
    expect(seen).toEqual([
      {
        subject: {
          customerId: 'c1',
          addresses: ['+14155550123', 'c1@example.com', 'old@example.com'],
          messageIds: ['m-old'],
        },
        profileThen: true,
      },
    ]);
    expect(report).toMatchObject({ profile: true, ledgerRows: 2, runTouches: 1, elsewhere: { outside: 2 } });
    expect(JSON.stringify(store.runs.batches.get('r2|b'))).not.toContain('c1@example.com');
  });

  it('the pseudonym depends on the key: without it a guessed id does not give the anonymous id', () => {
    expect(pseudonymOf('a'.repeat(32), 'c1')).not.toBe(pseudonymOf('b'.repeat(32), 'c1'));
    expect(pseudonymOf('a'.repeat(32), 'c1')).toBe(pseudonymOf('a'.repeat(32), 'c1'));
  });
});
