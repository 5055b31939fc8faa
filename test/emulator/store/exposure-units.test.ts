// A run's exposure units go to DynamoDB as conditional Puts, 100 to a TransactWriteItems
// (Table.putAllNew): a unit is recorded once whatever else is in its transaction, an existing one is
// reported as not recorded, and two writers of the same units record each exactly once between them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExposureUnit } from '../../../shared/ports/conversions.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';

const unit = (n: number, campaignId = 'units'): ExposureUnit => ({
  campaignId,
  customerId: `u-${String(n).padStart(4, '0')}`,
  occasion: 'birthday:2027',
  group: n % 10 === 0 ? 'holdout' : 'treated',
  dims: { campaignId, day: '2027-03-09', stepId: 'day', channel: 'email', tier: 'standard', locale: 'en-US' },
  at: '2027-03-09T06:00:00.000Z',
});

let store: DynamoStores;
beforeAll(async () => {
  ({ store } = await createTestStore());
});

describe('recording a run of exposure units', () => {
  it('records 250 units across three transactions, and reports the 32 that existed as not recorded', async () => {
    const units = Array.from({ length: 250 }, (_, n) => unit(n));
    const earlier = units.filter((_, n) => n % 8 === 3);
    for (const u of earlier) expect(await store.conversions.recordUnit(u)).toBe(true);

    const recorded = await store.conversions.recordUnits(units);
    expect(recorded).toEqual(units.map((_, n) => n % 8 !== 3));
    expect(recorded.filter(Boolean)).toHaveLength(250 - earlier.length);
    for (const n of [0, 99, 100, 199, 249]) {
      expect(await store.conversions.getUnit('units', unit(n).customerId, 'birthday:2027')).toEqual(unit(n));
    }
    // A rerun of the same plan records nothing.
    expect(await store.conversions.recordUnits(units)).toEqual(units.map(() => false));
  });

  it('two writers of the same 300 units at once record each exactly once between them', async () => {
    const units = Array.from({ length: 300 }, (_, n) => unit(n, 'race'));
    const [a, b] = await Promise.all([
      store.conversions.recordUnits(units),
      store.conversions.recordUnits([...units].reverse()),
    ]);
    const bForward = [...b].reverse();
    const winners = units.map((_, n) => Number(a[n]) + Number(bForward[n]));
    expect(winners).toEqual(units.map(() => 1));
  });
});
