import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain/documents.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { contract, customer } from '../support/fixtures.js';

let store: DynamoStores;
beforeAll(async () => {
  ({ store } = await createTestStore());
});

describe('settings', () => {
  it('are the defaults until put, then round-trip', async () => {
    expect(await store.settings.getSettings()).toEqual(DEFAULT_SETTINGS);
    const settings = { ...DEFAULT_SETTINGS, feb29: 'mar1' as const, activityEventTypes: ['login'] };
    await store.settings.putSettings(settings);
    expect(await store.settings.getSettings()).toEqual(settings);
  });
});

describe('customers', () => {
  it('round-trip whole documents, replace on upsert, and report which exist', async () => {
    const a = customer({
      id: 'doc-a',
      phone: '+14155550123',
      birthday: '1990-03-14',
      attributes: { city: 'Oslo', vip: true },
    });
    const b = customer({ id: 'doc-b', timeZone: 'Asia/Shanghai' });
    await store.documents.putCustomers([a, b]);
    const read = await store.due.getCustomers(['doc-a', 'doc-b', 'doc-missing']);
    expect(read).toEqual(
      new Map([
        ['doc-a', a],
        ['doc-b', b],
      ]),
    );

    const replaced = customer({ id: 'doc-a', name: 'Renamed' }); // no phone, birthday, attributes any more
    await store.documents.putCustomers([replaced]);
    expect((await store.due.getCustomers(['doc-a'])).get('doc-a')).toEqual(replaced);
    expect(await store.documents.existingCustomerIds(['doc-a', 'doc-b', 'nobody'])).toEqual(
      new Set(['doc-a', 'doc-b']),
    );
  });

  it('index birthdays by month-day (both forms) and leave the index when the birthday goes', async () => {
    await store.documents.putCustomers([
      customer({ id: 'bd-1', birthday: '1985-07-14' }),
      customer({ id: 'bd-2', birthday: '07-14' }),
      customer({ id: 'bd-3', birthday: '07-15' }),
      customer({ id: 'bd-4', birthday: '2000-02-29' }),
    ]);
    expect(await store.due.customersBornOn('07-14')).toEqual(['bd-1', 'bd-2']);
    expect(await store.due.customersBornOn('02-29')).toEqual(['bd-4']);
    await store.documents.putCustomers([customer({ id: 'bd-2' })]);
    expect(await store.due.customersBornOn('07-14')).toEqual(['bd-1']);
  });

  it('index last activity by the local date in the customer zone', async () => {
    await store.documents.putCustomers([
      // 23:30 UTC on Nov 19 is already Nov 20 in Shanghai, still Nov 19 in UTC.
      customer({ id: 'la-sh', timeZone: 'Asia/Shanghai', lastActivityAt: '2026-11-19T23:30:00Z' }),
      customer({ id: 'la-utc', lastActivityAt: '2026-11-19T23:30:00Z' }),
      customer({ id: 'la-none' }),
    ]);
    expect(await store.due.customersLastActiveOn('2026-11-20')).toEqual(['la-sh']);
    expect(await store.due.customersLastActiveOn('2026-11-19')).toEqual(['la-utc']);
  });
});

describe('contracts', () => {
  it('active ones are found by end and start day with the projected fields', async () => {
    const k1 = contract({ id: 'k-1', customerId: 'doc-a', startDate: '2025-12-01', endDate: '2026-12-01' });
    const k2 = contract({
      id: 'k-2',
      customerId: 'doc-b',
      product: 'broadband',
      startDate: '2025-11-15',
      endDate: '2026-12-01',
    });
    await store.documents.putContracts([k1, k2]);
    expect(await store.due.contractsEndingOn('2026-12-01')).toEqual([k1, k2]);
    expect(await store.due.contractsStartingOn('2025-12-01')).toEqual([k1]);
    expect(await store.due.contractsEndingOn('2026-12-02')).toEqual([]);
  });

  it('a renewed or cancelled contract leaves the day indexes', async () => {
    await store.documents.putContracts([contract({ id: 'k-3', customerId: 'doc-a', endDate: '2027-01-31' })]);
    expect((await store.due.contractsEndingOn('2027-01-31')).map((c) => c.id)).toEqual(['k-3']);
    await store.documents.putContracts([
      contract({ id: 'k-3', customerId: 'doc-a', endDate: '2027-01-31', status: 'renewed' }),
    ]);
    expect(await store.due.contractsEndingOn('2027-01-31')).toEqual([]);
    expect(await store.due.contractsStartingOn('2025-12-01')).not.toContainEqual(
      expect.objectContaining({ id: 'k-3' }),
    );
  });

  it('spreads one hot day over several shards and still returns all of it', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      contract({ id: `hot-${String(i).padStart(2, '0')}`, customerId: 'doc-a', endDate: '2027-03-31' }),
    );
    await store.documents.putContracts(many);
    const found = await store.due.contractsEndingOn('2027-03-31');
    expect(found.map((c) => c.id)).toEqual(many.map((c) => c.id));
  });
});
