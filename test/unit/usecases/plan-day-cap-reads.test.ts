// A day of 100,000 touches made 100,000 frequency-cap Queries in PlanRun although its campaign had
// no cap (bench: run --touches 100000 timed out in PlanRun). Only a capped campaign's candidates
// read what the customer already got; the cap itself still holds.
import { describe, expect, it } from 'vitest';
import { planDayTouches } from '../../../shared/usecases/plan-day.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

const D = '2026-11-26';
const email = { key: ['email'], business: ['email'], standard: ['email'] };

async function setUp(frequencyCap?: { max: number; perDays: number }) {
  const store = memoryStores();
  await store.documents.putCustomers([
    customer('a', { birthday: '11-26', timeZone: 'UTC' }),
    customer('b', { birthday: '11-26', timeZone: 'UTC' }),
  ]);
  await store.campaigns.putCampaign(
    campaign({
      id: 'birthday',
      anchor: { type: 'birthday' },
      steps: [{ id: 'day', offsetDays: 0, channels: email, template: 't' }],
      ...(frequencyCap && { frequencyCap }),
    }),
  );
  const capReads: string[] = [];
  const counted = store.ledger.countedDueDates.bind(store.ledger);
  store.ledger.countedDueDates = (customerId, channel, from, to) => {
    capReads.push(`${customerId}|${channel}`);
    return counted(customerId, channel, from, to);
  };
  return { store, capReads };
}

describe('frequency-cap reads while planning', () => {
  it('reads no cap for a day whose campaigns have none', async () => {
    const { store, capReads } = await setUp();
    const touches = await planDayTouches({ store }, { date: D });
    expect(touches.map((t) => [t.customerId, t.status])).toEqual([
      ['a', 'planned'],
      ['b', 'planned'],
    ]);
    expect(capReads).toEqual([]);
  });

  it('reads each candidate once under a cap, and the cap still suppresses', async () => {
    const { store, capReads } = await setUp({ max: 1, perDays: 7 });
    const first = await planDayTouches({ store }, { date: D });
    expect(capReads.sort()).toEqual(['a|email', 'b|email']);
    // What the first plan counted goes on the same day under the cap: a second campaign is refused.
    await store.campaigns.putCampaign(
      campaign({
        id: 'second',
        anchor: { type: 'birthday' },
        steps: [{ id: 'day', offsetDays: 0, channels: email, template: 't' }],
        frequencyCap: { max: 1, perDays: 7 },
      }),
    );
    const both = await planDayTouches({ store }, { date: D, alreadyPlanned: first });
    expect(both.filter((t) => t.campaignId === 'second').map((t) => t.reason)).toEqual([
      'frequency-cap',
      'frequency-cap',
    ]);
  });
});
