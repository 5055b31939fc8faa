// Inbound SMS find their sender through the sparse byPhone index (docs/two-way-sms.md): one Query,
// never a Scan; it follows a changed number and forgets an erased customer; a profile with a phone
// costs one write unit more than one without.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

const SHARED = '+14155550123';
let store: DynamoStores;

beforeAll(async () => {
  ({ store } = await createTestStore());
});

describe('customers by phone', () => {
  it('finds every customer with the number, sorted, and no one for a number nobody has', async () => {
    await store.documents.putCustomers([
      customer({ id: 'p-b', phone: SHARED }),
      customer({ id: 'p-a', phone: SHARED }),
      customer({ id: 'p-c', phone: '+8613800138000' }),
      customer({ id: 'p-none' }),
    ]);
    expect(await store.customers.customerIdsByPhone(SHARED)).toEqual(['p-a', 'p-b']);
    expect(await store.customers.customerIdsByPhone('+8613800138000')).toEqual(['p-c']);
    expect(await store.customers.customerIdsByPhone('+14155550999')).toEqual([]);
  });

  it('costs one small read for the lookup and one write unit for a profile phone', async () => {
    store.resetCapacity();
    await store.customers.customerIdsByPhone(SHARED);
    // An eventually consistent Query of two KEYS_ONLY entries: half a unit.
    expect(store.capacity.read).toBeLessThanOrEqual(1);

    store.resetCapacity();
    await store.documents.putCustomers([customer({ id: 'w-without' })]);
    const without = store.capacity.write;
    store.resetCapacity();
    await store.documents.putCustomers([customer({ id: 'w-with', phone: '+447911123456' })]);
    expect(store.capacity.write).toBe(without + 1);
  });

  it('follows a changed number and forgets an erased customer', async () => {
    await store.documents.putCustomers([customer({ id: 'm-1', phone: '+447911123457' })]);
    await store.documents.putCustomers([customer({ id: 'm-1', phone: '+447911123458' })]);
    expect(await store.customers.customerIdsByPhone('+447911123457')).toEqual([]);
    expect(await store.customers.customerIdsByPhone('+447911123458')).toEqual(['m-1']);

    await store.customers.eraseCustomer('m-1', 'anon-m-1', (v) => `x-${v}`);
    expect(await store.customers.customerIdsByPhone('+447911123458')).toEqual([]);
  });
});
