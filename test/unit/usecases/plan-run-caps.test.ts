// Frequency caps count a message on the local day it goes out. A caught-up touch is due on an
// earlier date but sent in the run date's window: counting it on its due date let two messages
// out on a day capped at one (issue 10, item 5).
import { describe, expect, it } from 'vitest';
import { planRunTouches } from '../../../shared/usecases/run/plan-run.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

const D = '2026-11-26';
const MISSED = '2026-11-25';

/** Born on the missed date: step `day` is due on it, step `after` (offset 1) on D. */
async function setUp() {
  const store = memoryStores(manualClock('2026-11-25T09:00:00Z'));
  await store.documents.putCustomers([customer('c1', { birthday: '11-25', timeZone: 'Asia/Tokyo' })]);
  await store.campaigns.putCampaign(
    campaign({
      id: 'birthday',
      anchor: { type: 'birthday' },
      frequencyCap: { max: 1, perDays: 1 },
      steps: [
        { id: 'day', offsetDays: 0, channels: { standard: ['email'] }, template: 't' },
        { id: 'after', offsetDays: 1, channels: { standard: ['email'] }, template: 't' },
      ],
    }),
  );
  return store;
}

describe('frequency caps count the day a message goes out', () => {
  it('caps a touch due on D when a touch caught up from D−1 already goes out on D (cap 1 a day)', async () => {
    const store = await setUp();
    const touches = await planRunTouches(store, { runId: 'r1', date: D, catchUp: [MISSED] });

    expect(touches.map((t) => [t.stepId, t.dueDate, t.sendDate ?? t.dueDate, t.status, t.reason])).toEqual([
      ['day', MISSED, D, 'planned', undefined],
      ['after', D, D, 'suppressed', 'frequency-cap'],
    ]);
    // Both are timed into D's window (09:00 Tokyo): one message goes out on D, not two.
    const caught = touches[0];
    expect(caught?.sendAt).toBe('2026-11-26T00:00:00.000Z');
    expect(touches.filter((t) => t.status === 'planned' && t.sendAt.startsWith('2026-11-26'))).toHaveLength(
      1,
    );
  });

  it('counts a caught-up message the ledger holds on its send day, so a later run of D is capped', async () => {
    const store = await setUp();
    const first = await planRunTouches(store, { runId: 'r1', date: D, catchUp: [MISSED] });
    const caught = first.find((t) => t.stepId === 'day');
    if (!caught) throw new Error('no caught-up touch');
    expect(await store.ledger.reserve(caught, 'r1', '2026-11-26T00:00:00.000Z')).toBe(true);
    await store.ledger.settle(caught, { status: 'sent' }, '2026-11-26T00:00:01.000Z');
    expect(await store.ledger.countedDueDates('c1', 'email', D, D)).toEqual([D]);
    expect(await store.ledger.countedDueDates('c1', 'email', MISSED, MISSED)).toEqual([]);

    const again = await planRunTouches(store, { runId: 'r2', date: D });
    expect(again.map((t) => [t.stepId, t.status, t.reason])).toEqual([
      ['after', 'suppressed', 'frequency-cap'],
    ]);
  });
});
