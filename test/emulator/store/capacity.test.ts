// DESIGN decision 1 in numbers: finding a day's birthdays through the sharded birthday index
// (whose entries carry the profiles) costs less than reading those customers by id, however large
// the table is.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../../shared/domain/documents.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

// The table's size changes nothing here (that is the point); the curve to 1,000,000 customers is
// `npm run bench -- selection` (bench/RESULTS.md).
const TOTAL = 5_000;
const SHARED = 50;
const DAY = '05-17';

let store: DynamoStores;
const birthdayFolks: string[] = [];

beforeAll(async () => {
  ({ store } = await createTestStore());
  const customers: Customer[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const id = `cap-${String(i).padStart(5, '0')}`;
    // Every 100th customer shares DAY; the rest are spread over other days of the year (never DAY).
    const shares = i % (TOTAL / SHARED) === 0;
    const other = new Date(Date.UTC(2001, 0, 1 + (i % 365)));
    let monthDay = other.toISOString().slice(5, 10);
    if (monthDay === DAY) monthDay = '05-18';
    if (shares) birthdayFolks.push(id);
    customers.push(
      customer({
        id,
        birthday: shares ? `1990-${DAY}` : monthDay,
        lastActivityAt: '2026-10-01T00:00:00Z',
        attributes: { segment: `s${i % 7}` },
      }),
    );
  }
  store.resetCapacity();
  await store.documents.putCustomers(customers);
}, 300_000);

describe('capacity', () => {
  it('loading costs one write unit per item and one per index entry (birthday, last activity, email)', () => {
    // Items and their index entries (keys + the profile document; byEmail's KEYS_ONLY entry, since
    // every fixture customer has an email) are under 1 KB: 4 WCU per customer.
    expect(store.capacity.write).toBe(TOTAL * 4);
  });

  it('a birthday day among 5,000 customers costs < 2x reading just those 50 profiles', async () => {
    store.resetCapacity();
    const ids = await store.due.customersBornOn(DAY);
    const found = await store.due.getCustomers(ids);
    const throughIndex = store.capacity.read;
    expect(ids).toEqual(birthdayFolks);
    expect(found.size).toBe(SHARED);

    store.resetCapacity();
    const direct = await store.due.getCustomers(birthdayFolks);
    const baseline = store.capacity.read;
    expect(direct.size).toBe(SHARED);

    expect(baseline).toBeGreaterThan(0);
    expect(throughIndex, `through the index ${throughIndex} RCU, direct ${baseline} RCU`).toBeLessThan(
      2 * baseline,
    );
  });
});
