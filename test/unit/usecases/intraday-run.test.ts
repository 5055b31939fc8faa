// Issue 10, item 2 (docs/scheduling.md, "Events on time"): the daily run plans D at (D−1) 09:00 UTC,
// before an event that happens on D is indexed, so an event-anchored step at offset 0 never saw it.
// The intraday run (kind `intraday`, hourly) plans the event and contract-start steps of every
// zone's local today: what arrived before its window closes goes out inside that window, what
// arrives after is recorded `window-missed`, and `run --date D` is unchanged.
import { describe, expect, it } from 'vitest';
import type { CustomerEvent } from '../../../shared/domain/documents.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { startRun, startRunInput } from '../../../shared/usecases/run/start-run.js';
import { summarizeRun } from '../../../shared/usecases/run/summarize-run.js';
import { runResult } from '../../../shared/usecases/runs/run-result.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, contract, customer } from '../domain/fixtures.js';

const D = '2026-12-10';

const ZONES = { tokyo: 'Asia/Tokyo', ny: 'America/New_York', hnl: 'Pacific/Honolulu' } as const;
/** 10:00 local on D in each zone, and the next hourly firing after it. */
const TEN_LOCAL = {
  tokyo: '2026-12-10T01:00:00.000Z',
  ny: '2026-12-10T15:00:00.000Z',
  hnl: '2026-12-10T20:00:00.000Z',
} as const;

async function seed(store: MemoryStores): Promise<void> {
  await store.documents.putCustomers(
    Object.entries(ZONES).map(([id, timeZone]) => customer(id, { timeZone, phone: undefined })),
  );
  await store.campaigns.putCampaign(
    campaign({
      id: 'thanks',
      anchor: { type: 'event', eventType: 'purchase' },
      steps: [{ id: 'd0', offsetDays: 0, channels: { standard: ['email'] }, template: 't' }],
      sendWindow: { start: '09:00', end: '17:00' },
    }),
  );
}

const purchase = (customerId: string, occurredAt: string): CustomerEvent => ({
  id: `ev-${customerId}`,
  customerId,
  type: 'purchase',
  occurredAt,
});

/** One execution as the state machine runs it: select, plan, every batch at the clock's time, summarize. */
async function execute(store: MemoryStores, at: string, input: unknown) {
  const clock = manualClock(at);
  const email = recordingEmail();
  const started = await startRun({ store, clock }, startRunInput.parse(input));
  const planned = await planRun({ store, clock }, started);
  for (const b of planned.batches) {
    if (Date.parse(b.sendAt) > Date.parse(at)) clock.set(b.sendAt);
    await sendBatch({ store, email, sms: noSms, clock, links }, { runId: started.runId, batchId: b.batchId });
  }
  await summarizeRun({ store, clock }, { runId: started.runId });
  const result = await runResult(store, started.runId);
  if (!result) throw new Error('no run result');
  return { started, planned, result, email };
}

describe('the intraday run: events answered on time', () => {
  it('sends an offset-0 event step on D inside the window for Tokyo, New York and Honolulu, which the daily run planned before the events existed', async () => {
    const store = memoryStores(manualClock('2026-12-09T09:00:00Z'));
    await seed(store);
    // The daily run for D, fired at (D−1) 09:00 UTC: no event of D is indexed yet.
    const daily = await execute(store, '2026-12-09T09:00:00.000Z', { scheduledTime: '2026-12-09T09:00:00Z' });
    expect(daily.result.date).toBe(D);
    expect(daily.planned.planned).toBe(0);

    for (const [id, tenLocal] of Object.entries(TEN_LOCAL)) {
      await store.documents.putEvents([purchase(id, tenLocal)]);
      const firing = new Date(Date.parse(tenLocal) + 3_600_000).toISOString();
      const run = await execute(store, firing, { kind: 'intraday', scheduledTime: firing });
      expect(run.email.sent.map((m) => m.to)).toEqual([`${id}@example.com`]);
      expect(run.result.touches.map((t) => [t.customerId, t.status, t.occasion])).toEqual([
        [id, 'sent', `ev-${id}`],
      ]);
    }

    const rows = await store.ledger.listDeliveries({ campaignId: 'thanks' });
    expect(rows.map((r) => [r.customerId, r.status, r.dueDate]).sort()).toEqual([
      ['hnl', 'sent', D],
      ['ny', 'sent', D],
      ['tokyo', 'sent', D],
    ]);
    for (const r of rows) {
      const zone = ZONES[r.customerId as keyof typeof ZONES];
      // Sent on D, inside 09:00–17:00 local: an hour after the 10:00 event.
      const local = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(r.sendAt));
      expect(local).toBe(`${D}, 11`);
    }
  });

  it('sends a contract starting on D that was imported on D, at the next firing', async () => {
    const store = memoryStores(manualClock('2026-12-10T16:00:00Z'));
    await store.documents.putCustomers([customer('ny', { timeZone: ZONES.ny, phone: undefined })]);
    await store.campaigns.putCampaign(
      campaign({
        id: 'welcome',
        anchor: { type: 'contractStart' },
        steps: [{ id: 'd0', offsetDays: 0, channels: { standard: ['email'] }, template: 't' }],
      }),
    );
    await store.documents.putContracts([contract('k1', 'ny', { startDate: D, endDate: '2027-12-10' })]);
    const run = await execute(store, '2026-12-10T16:00:00.000Z', {
      kind: 'intraday',
      scheduledTime: '2026-12-10T16:00:00Z',
    });
    expect(run.result.touches.map((t) => [t.customerId, t.status, t.occasion])).toEqual([
      ['ny', 'sent', `k1:${D}`],
    ]);
  });

  it('records an event that arrives after its window closed as window-missed, once, and keeps its key free for run --date', async () => {
    const store = memoryStores(manualClock('2026-12-10T10:00:00Z'));
    await seed(store);
    // 18:30 in Tokyo on D: the 09:00–17:00 window closed at 08:00 UTC.
    await store.documents.putEvents([purchase('tokyo', '2026-12-10T09:30:00.000Z')]);

    const first = await execute(store, '2026-12-10T10:00:00.000Z', {
      kind: 'intraday',
      scheduledTime: '2026-12-10T10:00:00Z',
    });
    expect(first.email.sent).toEqual([]);
    expect(first.result.touches.map((t) => [t.customerId, t.status, t.reason])).toEqual([
      ['tokyo', 'suppressed', 'window-missed'],
    ]);
    expect(first.result.summary.byReason).toEqual({ 'window-missed': 1 });
    expect(
      (await store.ledger.listDeliveries({ customerId: 'tokyo' })).map((r) => [r.status, r.reason]),
    ).toEqual([['suppressed', 'window-missed']]);

    // The next firing does not record it again.
    const second = await execute(store, '2026-12-10T11:00:00.000Z', {
      kind: 'intraday',
      scheduledTime: '2026-12-10T11:00:00Z',
    });
    expect(second.result.touches).toEqual([]);

    // `run --date D` still plans every touch due on D: the missed row does not hold the key.
    const explicit = await execute(store, '2026-12-10T00:00:00.000Z', { date: D });
    expect(explicit.result.touches.map((t) => [t.customerId, t.status])).toEqual([['tokyo', 'sent']]);
  });

  it('leaves to the daily run what it planned, and marks no date completed', async () => {
    const store = memoryStores(manualClock('2026-12-09T00:00:00Z'));
    await seed(store);
    // Indexed before the daily run of D planned (a scheduled event, 00:30 in New York on D): the daily
    // run's batch sends it at 09:00 local.
    await store.documents.putEvents([purchase('ny', '2026-12-10T05:30:00.000Z')]);
    const daily = await execute(store, '2026-12-09T09:00:00.000Z', { scheduledTime: '2026-12-09T09:00:00Z' });
    expect(daily.result.touches.map((t) => [t.customerId, t.status])).toEqual([['ny', 'sent']]);

    const intraday = await execute(store, '2026-12-10T15:00:00.000Z', {
      kind: 'intraday',
      scheduledTime: '2026-12-10T15:00:00Z',
    });
    expect(intraday.result.touches).toEqual([]);
    expect(intraday.started).toMatchObject({ date: D, intraday: { at: '2026-12-10T15:00:00.000Z' } });
    expect([...(await store.runs.completedDates('2026-12-09', '2026-12-11'))]).toEqual([D]);
  });
});
