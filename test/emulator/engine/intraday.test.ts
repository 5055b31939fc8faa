// Issue 10, item 2 through the real state machine (docs/scheduling.md, "Events on time"): the daily
// run plans D before D's events exist; the hourly intraday execution `{ kind: 'intraday',
// scheduledTime }` sends an offset-0 event step on D inside its window (Tokyo, New York, Honolulu),
// and records an event that arrived after the window closed as `window-missed`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, event, exampleCampaign } from '../support/fixtures.js';
import { type EngineEnv, freshDeps, mailsTo, openEngineEnv, runAndReport } from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('intraday');
});
afterAll(async () => {
  await engine?.close();
});

const D = '2026-12-10';
const hourAfter = (iso: string): string =>
  `${new Date(Date.parse(iso) + 3_600_000).toISOString().slice(0, 19)}Z`;

describe('the intraday run through the real ASL', () => {
  it('sends an event that happened at 10:00 local on D inside the window on D, and records a late one as window-missed', async () => {
    const { env } = engine;
    const { deps, store } = await freshDeps(env);
    const base = exampleCampaign('service-recovery');
    // Offset 0: due on the day of the event itself, 09:00–20:00 local.
    await store.campaigns.putCampaign({
      ...base,
      steps: base.steps.map((s) => ({ ...s, offsetDays: 0 })),
    });
    const zones = { 'it-tokyo': 'Asia/Tokyo', 'it-ny': 'America/New_York', 'it-hnl': 'Pacific/Honolulu' };
    await store.documents.putCustomers([
      ...Object.entries(zones).map(([id, timeZone]) => customer({ id, timeZone })),
      customer({ id: 'it-late', timeZone: 'Asia/Tokyo' }),
    ]);

    // The daily run of D, fired at (D−1) 09:00 UTC: no event of D exists yet.
    const daily = await runAndReport(env, deps, { scheduledTime: '2026-12-09T09:00:00Z' });
    expect(daily.touches.filter((t) => t.customerId.startsWith('it-'))).toEqual([]);

    const tenLocal = {
      'it-tokyo': '2026-12-10T01:00:00Z',
      'it-ny': '2026-12-10T15:00:00Z',
      'it-hnl': '2026-12-10T20:00:00Z',
    };
    for (const [id, occurredAt] of Object.entries(tenLocal)) {
      await store.documents.putEvents([
        event({ id: `ev-${id}`, customerId: id, type: 'complaint.resolved', occurredAt }),
      ]);
      const firing = hourAfter(occurredAt);
      const run = await runAndReport(env, deps, { kind: 'intraday', scheduledTime: firing });
      expect(run.touches.map((t) => [t.customerId, t.outcome, t.dueDate])).toEqual([[id, 'sent', D]]);
      const [sent] = run.touches;
      expect(Date.parse(sent?.sendAt ?? '')).toBe(Date.parse(firing));
      expect(Date.parse(sent?.windowEnd ?? '')).toBeGreaterThan(Date.parse(firing));
    }

    // 20:30 in Tokyo: the window closed at 20:00 (11:00 UTC). The 12:00 UTC firing records it.
    await store.documents.putEvents([
      event({
        id: 'ev-late',
        customerId: 'it-late',
        type: 'complaint.resolved',
        occurredAt: '2026-12-10T11:30:00Z',
      }),
    ]);
    const late = await runAndReport(env, deps, { kind: 'intraday', scheduledTime: '2026-12-10T12:00:00Z' });
    expect(late.touches.map((t) => [t.customerId, t.outcome, t.outcomeReason])).toEqual([
      ['it-late', 'suppressed', 'window-missed'],
    ]);
    expect(
      (await store.ledger.listDeliveries({ customerId: 'it-late' })).map((r) => [r.status, r.reason]),
    ).toEqual([['suppressed', 'window-missed']]);

    const mails = await mailsTo(env, 'it-');
    expect(mails).toEqual(
      new Map([
        ['it-tokyo@example.com', 1],
        ['it-ny@example.com', 1],
        ['it-hnl@example.com', 1],
      ]),
    );
    // Intraday runs mark no date done: only the daily run's D is.
    expect(await store.runs.completedDates('2026-12-09', '2026-12-11')).toEqual(new Set([D]));
  });
});
