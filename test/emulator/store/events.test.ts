import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain/documents.js';
import { UnknownCustomerError } from '../../../shared/store/errors.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { customer, event } from '../support/fixtures.js';

let store: DynamoStores;
beforeAll(async () => {
  ({ store } = await createTestStore());
  await store.settings.putSettings({ ...DEFAULT_SETTINGS, activityEventTypes: ['login'] });
  await store.documents.putCustomers([
    customer({ id: 'ev-1', timeZone: 'Asia/Shanghai', lastActivityAt: '2026-10-01T02:00:00Z' }),
    customer({ id: 'ev-2', lastActivityAt: '2026-10-01T02:00:00Z' }),
  ]);
});

describe('events', () => {
  it('are inserted once: the id is the idempotency key', async () => {
    const e = event({
      id: 'e-1',
      customerId: 'ev-2',
      type: 'ticket-closed',
      occurredAt: '2026-10-05T08:00:00Z',
    });
    expect(await store.documents.putEvents([e])).toEqual(['e-1']);
    expect(await store.documents.putEvents([e, { ...e, occurredAt: '2026-10-06T08:00:00Z' }])).toEqual([]);
    expect(await store.due.eventsOn('ticket-closed', '2026-10-05')).toEqual([e]);
    expect(await store.due.eventsOn('ticket-closed', '2026-10-06')).toEqual([]);
  });

  it('are indexed by type and the local date in the customer zone', async () => {
    // 20:00 UTC on Oct 9 is Oct 10 in Shanghai.
    const e = event({
      id: 'e-2',
      customerId: 'ev-1',
      type: 'purchase',
      occurredAt: '2026-10-09T20:00:00Z',
      data: { sku: 'x' },
    });
    await store.documents.putEvents([e]);
    expect(await store.due.eventsOn('purchase', '2026-10-10')).toEqual([e]);
    expect(await store.due.eventsOn('purchase', '2026-10-09')).toEqual([]);
    expect(await store.due.eventsOn('login', '2026-10-10')).toEqual([]);
  });

  it('move last activity only for activity types, never backwards', async () => {
    await store.documents.putEvents([
      event({ id: 'e-3', customerId: 'ev-2', type: 'purchase', occurredAt: '2026-10-20T10:00:00Z' }),
    ]);
    expect(await store.due.customersLastActiveOn('2026-10-01')).toContain('ev-2');
    await store.documents.putEvents([
      event({ id: 'e-4', customerId: 'ev-2', type: 'login', occurredAt: '2026-10-15T10:00:00Z' }),
    ]);
    expect(await store.due.customersLastActiveOn('2026-10-15')).toEqual(['ev-2']);
    expect(await store.due.customersLastActiveOn('2026-10-01')).not.toContain('ev-2');
    await store.documents.putEvents([
      event({ id: 'e-5', customerId: 'ev-2', type: 'login', occurredAt: '2026-10-12T10:00:00Z' }),
    ]);
    expect(await store.due.customersLastActiveOn('2026-10-15')).toEqual(['ev-2']);
  });

  it('keep their activity when the customer document is replaced', async () => {
    await store.documents.putCustomers([
      customer({ id: 'ev-2', name: 'Renamed', lastActivityAt: '2026-10-01T02:00:00Z' }),
    ]);
    expect(await store.due.customersLastActiveOn('2026-10-15')).toEqual(['ev-2']);
  });

  it('a settings change re-derives last activity for customers with events', async () => {
    await store.settings.putSettings({ ...DEFAULT_SETTINGS, activityEventTypes: ['purchase'] });
    expect(await store.due.customersLastActiveOn('2026-10-20')).toEqual(['ev-2']);
    // ev-1's purchase was Oct 10 in Shanghai.
    expect(await store.due.customersLastActiveOn('2026-10-10')).toEqual(['ev-1']);
    expect(await store.due.customersLastActiveOn('2026-10-15')).toEqual([]);
    await store.settings.putSettings({ ...DEFAULT_SETTINGS, activityEventTypes: [] });
    expect(await store.due.customersLastActiveOn('2026-10-20')).toEqual([]);
    // Back to their own lastActivityAt (02:00 UTC is 10:00 in Shanghai: Oct 1 for both).
    expect(await store.due.customersLastActiveOn('2026-10-01')).toEqual(['ev-1', 'ev-2']);
  });

  it('concurrent events for one customer all land in the activity map', async () => {
    await store.settings.putSettings({ ...DEFAULT_SETTINGS }); // every type counts
    const times = Array.from({ length: 10 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}T12:00:00Z`);
    await Promise.all(
      times.map((t, i) =>
        store.documents.putEvents([
          event({ id: `c-${i}`, customerId: 'ev-2', type: `t${i}`, occurredAt: t }),
        ]),
      ),
    );
    expect(await store.due.customersLastActiveOn('2026-11-10')).toEqual(['ev-2']);
    // Restricting to one early type must find that type's time: proves every type's time was kept.
    await store.settings.putSettings({ ...DEFAULT_SETTINGS, activityEventTypes: ['t3'] });
    expect(await store.due.customersLastActiveOn('2026-11-04')).toEqual(['ev-2']);
  });

  it('for an unknown customer are refused and nothing is stored', async () => {
    const e = event({ id: 'e-orphan', customerId: 'nobody', type: 'orphan' });
    await expect(store.documents.putEvents([e])).rejects.toBeInstanceOf(UnknownCustomerError);
    expect(await store.due.eventsOn('orphan', '2026-11-01')).toEqual([]);
  });
});
