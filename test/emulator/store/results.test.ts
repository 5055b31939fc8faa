// The results counters on DynamoDB Local (shared/store/results.ts): aggregate items ADDed to on each
// write, read back by campaign and day range, never by a scan.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../../../shared/domain/touch.js';
import { type CounterIncrement, sumCounts } from '../../../shared/ports/results.js';
import { ResultRows } from '../../../shared/store/results.js';
import { Table } from '../../../shared/store/table.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { summarizeRun } from '../../../shared/usecases/run/summarize-run.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { manualClock } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, customer } from '../../unit/domain/fixtures.js';
import { createTestStore } from '../support/ddb.js';

let table: Table;
beforeAll(async () => {
  const { client, tableName } = await createTestStore();
  table = new Table(client, tableName);
});

const noCampaigns = { listCampaigns: async (): Promise<CampaignRecord[]> => [] };
const row = (
  campaignId: string,
  day: string,
  stepId: string,
  counts: Record<string, number>,
): CounterIncrement => ({
  campaignId,
  day,
  stepId,
  channel: 'email',
  tier: 'key',
  locale: 'en-US',
  counts,
});

describe('the results counters', () => {
  it('adds increments of the same row together and reads a campaign by day range', async () => {
    const rows = new ResultRows(table, noCampaigns);
    await rows.add([row('ca', '2027-01-01', 's1', { planned: 2, 'suppressed.holdout': 1 })]);
    await rows.add([
      row('ca', '2027-01-01', 's1', { planned: 1, sent: 1 }),
      row('ca', '2027-01-01', 's1', { sent: 1 }),
      row('ca', '2027-01-02', 's1', { planned: 5 }),
      row('ca', '2027-01-03', 's2', { planned: 7 }),
      row('cb', '2027-01-02', 's1', { planned: 9 }),
    ]);
    const read = await rows.read({ campaignId: 'ca', from: '2027-01-01', to: '2027-01-02' });
    expect(read).toEqual([
      { ...row('ca', '2027-01-01', 's1', {}), counts: { planned: 3, sent: 2, 'suppressed.holdout': 1 } },
      { ...row('ca', '2027-01-02', 's1', {}), counts: { planned: 5 } },
    ]);
  });

  it('applies a once-keyed add at most once, even when a retry repeats it after a crash', async () => {
    const rows = new ResultRows(table, noCampaigns);
    // 150 rows: two transactions of at most 99 rows and their marker.
    const increments = Array.from({ length: 150 }, (_, i) =>
      row('cc', '2027-02-01', `s${String(i).padStart(3, '0')}`, { planned: 1, sent: 1 }),
    );
    await rows.add(increments, { once: 'run#r-once' });
    await rows.add(increments, { once: 'run#r-once' });
    await rows.add(increments.slice(0, 3), { once: 'run#r-other' });
    const read = await rows.read({ campaignId: 'cc', from: '2027-02-01', to: '2027-02-01' });
    expect(read).toHaveLength(150);
    const planned = read.map((r) => r.counts.planned);
    expect(planned.filter((n) => n === 2)).toHaveLength(3);
    expect(planned.filter((n) => n === 1)).toHaveLength(147);
  });

  it('reads every campaign the campaign store lists when no campaign is named, and only items in range', async () => {
    const listed = {
      listCampaigns: async () =>
        ['cd', 'ce'].map(
          (id): CampaignRecord => ({ campaign: campaign({ id }), version: 1, paused: false, updatedAt: '' }),
        ),
    };
    const rows = new ResultRows(table, listed);
    await rows.add([
      row('cd', '2027-03-01', 's1', { sent: 1 }),
      row('ce', '2027-03-02', 's1', { sent: 2 }),
      row('ce', '2027-04-02', 's1', { sent: 3 }),
    ]);
    table.resetCapacity();
    const read = await rows.read({ from: '2027-03-01', to: '2027-03-31' });
    expect(read.map((r) => [r.campaignId, r.counts.sent])).toEqual([
      ['cd', 1],
      ['ce', 2],
    ]);
    // Two small items in two queries: half a read unit each, strongly consistent.
    expect(table.capacity.read).toBeLessThanOrEqual(2);
  });

  it('counts a run over DynamoDB once though SummarizeRun runs twice, and a report reads its rows, not the ledger', async () => {
    const D = '2027-05-03';
    const clock = manualClock(`${D}T09:00:00Z`);
    const { store } = await createTestStore({ clock });
    await store.documents.putCustomers(
      Array.from({ length: 30 }, (_, i) =>
        customer(`c${i}`, {
          lastActivityAt: `${D}T12:00:00Z`,
          phone: undefined,
          timeZone: 'UTC',
          ...(i < 3 && { consent: { email: false, sms: false } }),
        }),
      ),
    );
    await store.campaigns.putCampaign(campaign());
    const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
    const email = recordingEmail();
    for (const b of run.batches)
      await sendBatch({ store, email, sms: noSms, clock, links }, { runId: 'r1', batchId: b.batchId });
    await summarizeRun({ store, clock }, { runId: 'r1' });
    await summarizeRun({ store, clock }, { runId: 'r1' });

    store.resetCapacity();
    const rows = await store.results.read({ campaignId: 'camp', from: D, to: D });
    expect(sumCounts(rows)).toMatchObject({
      planned: 30,
      sent: 27,
      'suppressed.no-consent': 3,
      'cost.messages': 2700,
    });
    // Thirty ledger rows, one counter row (one day, one step, one channel, tier and locale).
    expect(rows).toHaveLength(1);
    expect(store.capacity.read).toBeLessThanOrEqual(1);
  });
});
