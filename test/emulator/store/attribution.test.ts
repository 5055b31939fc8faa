// Attribution on DynamoDB Local (docs/attribution.md): a month of daily runs of a renewal campaign
// with a holdout, then renewals (API and import) and replies with known outcomes: the counters hold
// exactly the conversions expected, and one arrival reads the customer's own rows, whatever the size
// of the rest of the ledger.
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../shared/domain/calendar.js';
import { isHeldOut } from '../../../shared/domain/holdout.js';
import { importDocuments } from '../../../shared/import/import-file.js';
import { sumCounts } from '../../../shared/ports/results.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { putContract } from '../../../shared/usecases/customers/put-records.js';
import { ingestEvent } from '../../../shared/usecases/ingest-event.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { manualClock } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, contract, customer } from '../../unit/domain/fixtures.js';
import { createTestStore } from '../support/ddb.js';

const MONTH_START = '2026-12-01';
const DAYS = 30;
const N = 60;
const ids = Array.from({ length: N }, (_, i) => `m${String(i).padStart(2, '0')}`);
/** Each customer's contract ends 7 days after a day of the month: one due touch on that day. */
const dueDay = (i: number): string => addDays(MONTH_START, i % DAYS);
const endOf = (i: number): string => addDays(dueDay(i), 7);

const renewal = campaign({
  id: 'renewal',
  anchor: { type: 'contractEnd' },
  steps: [{ id: 's1', offsetDays: -7, channels: { standard: ['email'] }, template: 't' }],
  holdoutPercent: 40,
  goal: { type: 'contractRenewed', withinDays: 14 },
});
const replies = campaign({
  id: 'replies',
  priority: 5,
  anchor: { type: 'contractEnd' },
  steps: [{ id: 's1', offsetDays: -7, channels: { standard: ['email'] }, template: 't' }],
  holdoutPercent: 40,
  goal: { type: 'event', eventTypes: ['purchase'] },
});

describe('attribution over a month on DynamoDB', () => {
  let store: DynamoStores;
  const clock = manualClock(`${MONTH_START}T08:00:00Z`);
  beforeAll(async () => {
    ({ store } = await createTestStore({ clock }));
    await store.documents.putCustomers(ids.map((id) => customer(id, { timeZone: 'UTC', phone: undefined })));
    await store.documents.putContracts(ids.map((id, i) => contract(`k-${id}`, id, { endDate: endOf(i) })));
    await store.campaigns.putCampaign(renewal);
    await store.campaigns.putCampaign(replies);
    for (let d = 0; d < DAYS; d++) {
      const date = addDays(MONTH_START, d);
      const runId = `run-${date}`;
      clock.set(`${date}T08:00:00Z`);
      await store.runs.putRunMeta({ runId, date, startedAt: clock.now().toISOString(), status: 'planning' });
      const run = await planRun({ store, clock }, { runId, date });
      for (const b of run.batches)
        await sendBatch(
          { store, email: recordingEmail(), sms: noSms, clock, links },
          { runId, batchId: b.batchId },
        );
    }
  }, 240_000);

  const total = async (campaignId: string) =>
    sumCounts(await store.results.read({ campaignId, from: MONTH_START, to: addDays(MONTH_START, DAYS) }));
  const heldOut = (campaignId: string) => ids.filter((id) => isHeldOut(campaignId, id, 40));

  it('counts every customer of the month once, in the group the hash puts them in', async () => {
    const held = heldOut('renewal').length;
    expect(held).toBeGreaterThan(10);
    expect(await total('renewal')).toMatchObject({
      'treated.customers': N - held,
      'holdout.customers': held,
    });
  });

  it('gives exactly the known renewals and purchases to the campaigns, each once', async () => {
    // Every third customer renews 3 days after their touch: by status through the API for even
    // ones, by a new contract in an import for odd ones; a renewal 20 days later is outside the window.
    const renewing = ids.filter((_, i) => i % 3 === 0);
    for (const id of renewing) {
      const i = ids.indexOf(id);
      clock.set(`${addDays(dueDay(i), 3)}T12:00:00Z`);
      if (i % 2 === 0) {
        const doc = contract(`k-${id}`, id, { endDate: endOf(i), status: 'renewed' });
        await putContract(store, doc.id, doc, clock.now().toISOString());
        await putContract(store, doc.id, doc, clock.now().toISOString());
      } else {
        const next = contract(`k2-${id}`, id, { startDate: endOf(i), endDate: addDays(endOf(i), 365) });
        expect((await importDocuments([next], 'contracts', store, { clock })).ok).toBe(true);
      }
    }
    const late = ids[1] ?? '';
    clock.set(`${addDays(dueDay(1), 20)}T12:00:00Z`);
    const lateDoc = contract(`k-${late}`, late, { endDate: endOf(1), status: 'renewed' });
    await putContract(store, lateDoc.id, lateDoc, clock.now().toISOString());

    // Every fourth customer buys 2 days after their touch (twice: one conversion).
    const buying = ids.filter((_, i) => i % 4 === 0);
    for (const id of buying) {
      const at = `${addDays(dueDay(ids.indexOf(id)), 2)}T10:00:00.000Z`;
      await ingestEvent({ store }, { id: `buy-${id}`, customerId: id, type: 'purchase', occurredAt: at });
      await ingestEvent({ store }, { id: `buy2-${id}`, customerId: id, type: 'purchase', occurredAt: at });
    }

    const split = (group: string[], campaignId: string) => {
      const held = new Set(heldOut(campaignId));
      return {
        treated: group.filter((id) => !held.has(id)).length,
        holdout: group.filter((id) => held.has(id)).length,
      };
    };
    const r = split(renewing, 'renewal');
    expect(await total('renewal')).toMatchObject({
      'treated.conversions': r.treated,
      'holdout.conversions': r.holdout,
      converted: r.treated,
    });
    const p = split(buying, 'replies');
    expect(await total('replies')).toMatchObject({
      'treated.conversions': p.treated,
      'holdout.conversions': p.holdout,
    });
  });

  it('reads the same for one arrival whatever the size of the rest of the ledger', async () => {
    const cost = async (id: string) => {
      store.resetCapacity();
      await ingestEvent(
        { store },
        {
          id: `probe-${id}-${Date.now()}`,
          customerId: id,
          type: 'purchase',
          occurredAt: '2026-12-20T00:00:00.000Z',
        },
      );
      return store.capacity.read;
    };
    const before = await cost(ids[5] ?? '');
    // Five times as many ledger rows for other customers.
    const others = Array.from({ length: 5 * N }, (_, i) => `x${i}`);
    await store.documents.putCustomers(
      others.map((id) => customer(id, { timeZone: 'UTC', phone: undefined })),
    );
    await store.documents.putContracts(
      others.map((id) => contract(`k-${id}`, id, { endDate: '2026-12-27' })),
    );
    clock.set('2026-12-20T08:00:00Z');
    await planStartedRun({ store, clock }, { runId: 'bulk', date: '2026-12-20' });
    expect(await cost(ids[5] ?? '')).toBe(before);
  }, 120_000);
});
