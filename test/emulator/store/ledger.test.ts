import { beforeAll, describe, expect, it } from 'vitest';
import { touchKeyString } from '../../../shared/domain/touch.js';
import { RESERVATION_TIMEOUT_MS } from '../../../shared/ports/ledger.js';
import { DeliveryNotFoundError } from '../../../shared/store/errors.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { manualClock } from '../../support/fakes/memory-stores.js';
import { createTestStore } from '../support/ddb.js';
import { touch } from '../support/fixtures.js';

let store: DynamoStores;
beforeAll(async () => {
  ({ store } = await createTestStore());
});

const NOW = '2026-11-01T08:00:00.000Z';

describe('ledger', () => {
  it('reserve is exclusive: of 20 concurrent reserves of one key exactly one wins', async () => {
    const t = touch({ customerId: 'race', occasion: 'o-race' });
    const won = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.ledger.reserve(t, `run-${i}`, NOW)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const row = (await store.ledger.getDeliveries([t])).get(touchKeyString(t));
    expect(row?.status).toBe('reserved');
    expect(row?.runId).toBe(`run-${won.indexOf(true)}`);
  });

  it('a key stays held once sent; a failed one can be reserved again', async () => {
    const sent = touch({ customerId: 'held', occasion: 'o-sent' });
    expect(await store.ledger.reserve(sent, 'r1', NOW)).toBe(true);
    await store.ledger.settle(sent, { status: 'sent', providerMessageId: 'm-1' }, NOW);
    expect(await store.ledger.reserve(sent, 'r2', NOW)).toBe(false);

    const failed = touch({ customerId: 'held', occasion: 'o-failed' });
    expect(await store.ledger.reserve(failed, 'r1', NOW)).toBe(true);
    await store.ledger.settle(failed, { status: 'failed', error: 'boom' }, NOW);
    expect((await store.ledger.getDeliveries([failed])).get(touchKeyString(failed))).toMatchObject({
      status: 'failed',
      error: 'boom',
    });
    expect(await store.ledger.reserve(failed, 'r2', NOW)).toBe(true);

    const rows = await store.ledger.getDeliveries([sent, failed]);
    expect(rows.get(touchKeyString(sent))).toMatchObject({
      status: 'sent',
      providerMessageId: 'm-1',
      runId: 'r1',
    });
    expect(rows.get(touchKeyString(failed))).toMatchObject({ status: 'reserved', runId: 'r2' });
  });

  it('settle of an unknown key is a typed error', async () => {
    await expect(
      store.ledger.settle(touch({ customerId: 'ghost' }), { status: 'sent' }, NOW),
    ).rejects.toBeInstanceOf(DeliveryNotFoundError);
  });

  it('recordSuppressed never overwrites a sent or reserved touch, but records free keys', async () => {
    const sent = touch({ customerId: 'sup', occasion: 'o-1' });
    await store.ledger.reserve(sent, 'r1', NOW);
    await store.ledger.settle(sent, { status: 'sent', providerMessageId: 'm-2' }, NOW);
    await store.ledger.recordSuppressed(
      { ...sent, status: 'suppressed', reason: 'frequency-cap' },
      'r2',
      NOW,
    );
    expect((await store.ledger.getDeliveries([sent])).get(touchKeyString(sent))).toMatchObject({
      status: 'sent',
      runId: 'r1',
    });

    const reserved = touch({ customerId: 'sup', occasion: 'o-2' });
    await store.ledger.reserve(reserved, 'r1', NOW);
    await store.ledger.recordSuppressed({ ...reserved, status: 'suppressed', reason: 'holdout' }, 'r2', NOW);
    expect((await store.ledger.getDeliveries([reserved])).get(touchKeyString(reserved))?.status).toBe(
      'reserved',
    );

    const free = touch({ customerId: 'sup', occasion: 'o-3' });
    await store.ledger.recordSuppressed({ ...free, status: 'suppressed', reason: 'no-consent' }, 'r2', NOW);
    expect((await store.ledger.getDeliveries([free])).get(touchKeyString(free))).toMatchObject({
      status: 'suppressed',
      reason: 'no-consent',
      runId: 'r2',
    });
    // A suppressed key can still be reserved by a later run.
    expect(await store.ledger.reserve(free, 'r3', NOW)).toBe(true);
  });

  it('countedDueDates counts reserved and sent messages per channel within the days', async () => {
    const c = 'cap';
    const at = (dueDate: string, over: Parameters<typeof touch>[0] = {}) =>
      touch({ customerId: c, dueDate, occasion: `o-${dueDate}`, ...over });
    await store.ledger.reserve(at('2026-11-01'), 'r', NOW); // reserved: counts
    await store.ledger.reserve(at('2026-11-03'), 'r', NOW);
    await store.ledger.settle(at('2026-11-03'), { status: 'sent' }, NOW); // sent: counts
    await store.ledger.reserve(at('2026-11-04'), 'r', NOW);
    await store.ledger.settle(at('2026-11-04'), { status: 'failed' }, NOW); // failed: does not count
    await store.ledger.recordSuppressed(
      at('2026-11-05', { status: 'suppressed', reason: 'holdout' }),
      'r',
      NOW,
    ); // never counts
    await store.ledger.reserve(at('2026-11-05', { campaignId: 'other', stepId: 's' }), 'r', NOW); // other campaign: counts
    await store.ledger.reserve(at('2026-11-05', { channel: 'sms' }), 'r', NOW); // other channel
    await store.ledger.reserve(at('2026-11-09'), 'r', NOW); // outside the window

    expect((await store.ledger.countedDueDates(c, 'email', '2026-11-01', '2026-11-07')).sort()).toEqual([
      '2026-11-01',
      '2026-11-03',
      '2026-11-05',
    ]);
    expect(await store.ledger.countedDueDates(c, 'sms', '2026-11-01', '2026-11-07')).toEqual(['2026-11-05']);
    expect(await store.ledger.countedDueDates(c, 'email', '2026-11-02', '2026-11-02')).toEqual([]);
  });

  it('counts a caught-up message on the day it goes out, not the day it was due (cap index byChannelDay)', async () => {
    const caught = touch({
      customerId: 'cap-send',
      dueDate: '2026-11-25',
      sendDate: '2026-11-26',
      occasion: 'o-c',
    });
    expect(await store.ledger.reserve(caught, 'r', NOW)).toBe(true);
    await store.ledger.settle(caught, { status: 'sent' }, NOW);
    expect(await store.ledger.countedDueDates('cap-send', 'email', '2026-11-26', '2026-11-26')).toEqual([
      '2026-11-26',
    ]);
    expect(await store.ledger.countedDueDates('cap-send', 'email', '2026-11-25', '2026-11-25')).toEqual([]);
    expect((await store.ledger.getDeliveries([caught])).get(touchKeyString(caught))).toMatchObject({
      dueDate: '2026-11-25',
      sendDate: '2026-11-26',
    });
  });

  it('lists deliveries by campaign, by customer, by both, and all', async () => {
    const a1 = touch({ campaignId: 'list-a', customerId: 'l-1', dueDate: '2026-11-02', occasion: 'x' });
    const a2 = touch({ campaignId: 'list-a', customerId: 'l-2', dueDate: '2026-11-01', occasion: 'x' });
    const b1 = touch({ campaignId: 'list-b', customerId: 'l-1', occasion: 'x' });
    for (const t of [a1, a2, b1]) await store.ledger.reserve(t, 'r', NOW);

    const ids = (ds: { campaignId: string; customerId: string }[]) =>
      ds.map((d) => `${d.campaignId}/${d.customerId}`);
    expect(ids(await store.ledger.listDeliveries({ campaignId: 'list-a' }))).toEqual([
      'list-a/l-2',
      'list-a/l-1',
    ]); // by due date
    expect(ids(await store.ledger.listDeliveries({ customerId: 'l-1' }))).toEqual([
      'list-a/l-1',
      'list-b/l-1',
    ]);
    expect(ids(await store.ledger.listDeliveries({ customerId: 'l-1', campaignId: 'list-b' }))).toEqual([
      'list-b/l-1',
    ]);
    // Without a filter the ledger is read campaign by campaign: none is registered in this table.
    expect(await store.ledger.listDeliveries({})).toEqual([]);
  });
});

describe('a reservation whose run died, judged on the wall clock', () => {
  // The ledger's clock is the machine's; runs stamp updatedAt with their own (simulated) clock.
  const wall = manualClock('2026-12-02T00:40:00.000Z');
  let walled: DynamoStores;
  beforeAll(async () => {
    ({ store: walled } = await createTestStore({ clock: wall }));
  });
  const FUTURE = '2030-01-01T09:00:00.000Z';

  it('a future-dated reservation turns unknown once its lease ran out, and can then be released', async () => {
    const t = touch({ customerId: 'lease', occasion: 'o-2030', dueDate: '2030-01-01' });
    expect(await walled.ledger.reserve(t, 'dead-run', FUTURE)).toBe(true);
    const row = await walled.ledger.getDelivery(t);
    expect(row).toMatchObject({ status: 'reserved', updatedAt: FUTURE, leasedAt: wall.now().toISOString() });
    if (!row) throw new Error('unreachable');
    // Inside the lease: another run may still be sending it. Nothing changes.
    expect(await walled.ledger.markUnknown(row, false, FUTURE)).toBe(false);
    expect(await walled.ledger.release(t, FUTURE)).toMatchObject({ released: false, reason: 'in-flight' });
    expect((await walled.ledger.listDeliveries({ customerId: 'lease' }))[0]?.status).toBe('reserved');

    wall.advance(RESERVATION_TIMEOUT_MS);
    expect((await walled.ledger.listDeliveries({ customerId: 'lease' }))[0]?.status).toBe('unknown');
    expect(await walled.ledger.markUnknown(row, false, FUTURE)).toBe(true);
    expect(await walled.ledger.getDelivery(t)).toMatchObject({
      status: 'unknown',
      reason: 'reserved-not-confirmed',
    });
    // Still held: no run can reserve it, and it keeps counting for frequency caps.
    expect(await walled.ledger.reserve(t, 'rerun', FUTURE)).toBe(false);
    expect(await walled.ledger.countedDueDates('lease', 'email', '2030-01-01', '2030-01-01')).toEqual([
      '2030-01-01',
    ]);

    expect(await walled.ledger.release(t, FUTURE)).toMatchObject({
      released: true,
      delivery: { status: 'failed' },
    });
    expect(await walled.ledger.countedDueDates('lease', 'email', '2030-01-01', '2030-01-01')).toEqual([]);
    expect(await walled.ledger.reserve(t, 'rerun', FUTURE)).toBe(true);
  });

  it('markUnknown leaves a row that settled meanwhile alone; release refuses sent and unheld rows', async () => {
    const t = touch({ customerId: 'lease-2', occasion: 'o-1' });
    expect(await walled.ledger.reserve(t, 'r1', FUTURE)).toBe(true);
    const seen = await walled.ledger.getDelivery(t);
    if (!seen) throw new Error('unreachable');
    await walled.ledger.settle(t, { status: 'sent', providerMessageId: 'm-9' }, FUTURE);
    // The same run's retry would call its own reservation dead: the settle since then wins.
    expect(await walled.ledger.markUnknown(seen, true, FUTURE)).toBe(false);
    expect((await walled.ledger.getDelivery(t))?.status).toBe('sent');
    expect(await walled.ledger.release(t, FUTURE)).toMatchObject({ released: false, reason: 'sent' });
    const free = touch({ customerId: 'lease-2', occasion: 'o-2' });
    await walled.ledger.recordSuppressed({ ...free, status: 'suppressed', reason: 'holdout' }, 'r1', FUTURE);
    expect(await walled.ledger.release(free, FUTURE)).toMatchObject({ released: false, reason: 'not-held' });
    expect(await walled.ledger.release(touch({ customerId: 'nobody' }), FUTURE)).toEqual({
      released: false,
      reason: 'not-found',
    });
  });
});
