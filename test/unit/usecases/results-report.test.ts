import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { campaignSchema } from '../../../shared/domain/documents.js';
import type { CounterIncrement } from '../../../shared/ports/results.js';
import {
  buildCampaignDetail,
  buildReport,
  UnknownCampaignError,
} from '../../../shared/usecases/results/report.js';
import { resultsReportSchema } from '../../../shared/usecases/results/schemas.js';
import { EXAMPLES } from '../../support/examples.js';
import { memoryApi } from '../../support/fakes/memory-api.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';

const winBack = () =>
  campaignSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'campaigns', 'win-back.json'), 'utf8')));

const row = (day: string, counts: Record<string, number>, stepId = 'd60'): CounterIncrement => ({
  campaignId: 'win-back',
  day,
  stepId,
  channel: 'email',
  tier: 'standard',
  locale: 'en-US',
  counts,
});

/** A month of win-back: 200 touched (40 converted), 50 held out (4 converted), over three days. */
const MONTH: CounterIncrement[] = [
  row('2026-11-26', {
    planned: 120,
    'suppressed.holdout': 30,
    'suppressed.no-consent': 3,
    sent: 100,
    delivered: 97,
    bounced: 2,
    complained: 1,
    opened: 50,
    clicked: 20,
    'treated.customers': 100,
    'holdout.customers': 30,
    'cost.messages': 500_000,
    'cost.infra': 100_000,
  }),
  row('2026-11-27', {
    planned: 120,
    'suppressed.holdout': 20,
    sent: 100,
    delivered: 100,
    unsubscribed: 2,
    'treated.customers': 100,
    'holdout.customers': 20,
  }),
  row('2026-11-28', { 'treated.conversions': 25, 'holdout.conversions': 3, converted: 25 }),
  row('2026-11-29', { 'treated.conversions': 15, 'holdout.conversions': 1, converted: 15 }, 'd90'),
];

const clock = manualClock('2026-12-02T09:00:00Z');

async function month() {
  const store = memoryStores(clock);
  await store.campaigns.putCampaign(winBack());
  await store.results.add(MONTH);
  return store;
}

describe('the results report, from the aggregate counters', () => {
  it('sums a month of counters into the contract shape: funnel, treated vs holdout, uplift with its interval, cost per conversion', async () => {
    const store = await month();
    const report = await buildReport({
      results: store.results,
      campaigns: store.campaigns,
      settings: store.settings,
      clock,
    });
    expect(resultsReportSchema.parse(report)).toEqual(report);
    expect(report.from).toBe('2026-11-26');
    expect(report.to).toBe('2026-11-29');
    const [c] = report.campaigns;
    expect(c?.campaignId).toBe('win-back');
    expect(c?.funnel).toEqual({
      planned: 240,
      suppressed: { holdout: 50, 'no-consent': 3 },
      sent: 200,
      delivered: 197,
      bounced: 2,
      complained: 1,
      opened: 50,
      clicked: 20,
      unsubscribed: 2,
    });
    expect(c?.treated).toEqual({ customers: 200, conversions: 40, rate: 0.2 });
    expect(c?.holdout).toEqual({ customers: 50, conversions: 4, rate: 0.08 });
    expect(c?.uplift?.value).toBeCloseTo(0.12, 10);
    expect(c?.uplift?.low).toBeLessThan(0.12);
    expect(c?.uplift?.high).toBeGreaterThan(0.12);
    expect(c?.uplift?.pValue).toBeGreaterThan(0);
    expect(c?.uplift?.pValue).toBeLessThan(0.1);
    expect(c?.cost).toEqual({ currency: 'USD', total: 0.6, perConversion: 0.015 });
  });

  it('says "not enough data" (uplift null) for a campaign whose holdout is below the minimum sample', async () => {
    const store = memoryStores(manualClock('2026-12-02T09:00:00Z'));
    await store.campaigns.putCampaign(winBack());
    await store.results.add([
      row('2026-11-26', {
        'treated.customers': 100,
        'treated.conversions': 30,
        'holdout.customers': 10,
        'holdout.conversions': 1,
      }),
    ]);
    const report = await buildReport({
      results: store.results,
      campaigns: store.campaigns,
      settings: store.settings,
    });
    expect(report.campaigns[0]?.uplift).toBeNull();
  });

  it('keeps to the days asked, and lists a campaign with no counters at zero', async () => {
    const store = await month();
    const report = await buildReport(
      { results: store.results, campaigns: store.campaigns, settings: store.settings },
      { from: '2026-11-26', to: '2026-11-26' },
    );
    expect(report).toMatchObject({ from: '2026-11-26', to: '2026-11-26' });
    expect(report.campaigns[0]?.funnel.sent).toBe(100);
    expect(report.campaigns[0]?.treated.conversions).toBe(0);
    expect(report.campaigns[0]?.cost.perConversion).toBeNull();
  });

  it('reads as many counter rows for 1,000 customers as for 1 (never the ledger)', async () => {
    const store = await month();
    await buildReport({ results: store.results, campaigns: store.campaigns, settings: store.settings });
    const before = store.results.rowsRead;
    await store.results.add(
      MONTH.map((r) => ({
        ...r,
        counts: Object.fromEntries(Object.entries(r.counts).map(([k, v]) => [k, v * 1000])),
      })),
    );
    await buildReport({ results: store.results, campaigns: store.campaigns, settings: store.settings });
    expect(store.results.rowsRead - before).toBe(before);
  });

  it('reports an empty store as today, with no campaigns, in the default currency', async () => {
    const store = memoryStores(clock);
    const report = await buildReport({
      results: store.results,
      campaigns: store.campaigns,
      settings: store.settings,
      clock,
    });
    expect(report).toEqual({ from: '2026-12-02', to: '2026-12-02', campaigns: [] });
  });

  it('refuses an unknown campaign with a typed error', async () => {
    const store = await month();
    await expect(
      buildReport(
        { results: store.results, campaigns: store.campaigns, settings: store.settings },
        { campaignId: 'nope' },
      ),
    ).rejects.toBeInstanceOf(UnknownCampaignError);
  });

  it('breaks one campaign down by day and by step', async () => {
    const store = await month();
    const detail = await buildCampaignDetail(
      { results: store.results, campaigns: store.campaigns, settings: store.settings },
      { campaignId: 'win-back' },
    );
    expect(detail.days.map((d) => d.day)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(detail.breakdown.map((b) => [b.stepId, b.counts['treated.conversions'] ?? 0])).toEqual([
      ['d60', 25],
      ['d90', 15],
    ]);
  });
});

describe('GET /v1/reports/campaigns', () => {
  const get = async (path: string) => {
    const m = memoryApi('2026-12-02T09:00:00Z');
    await m.store.campaigns.putCampaign(winBack());
    await m.store.results.add(MONTH);
    return m.api.request(path, { headers: { authorization: 'Bearer test-token' } });
  };

  it('answers the contract report, and one campaign in detail', async () => {
    const all = await get('/v1/reports/campaigns');
    expect(all.status).toBe(200);
    const body = resultsReportSchema.parse(await all.json());
    expect(body.campaigns[0]?.treated.customers).toBe(200);
    const one = await get('/v1/reports/campaigns/win-back?from=2026-11-28&to=2026-11-29');
    expect(one.status).toBe(200);
  });

  it('answers 404 for an unknown campaign and 400 for a reversed or invalid range', async () => {
    expect((await get('/v1/reports/campaigns?campaign=nope')).status).toBe(404);
    expect((await get('/v1/reports/campaigns/nope')).status).toBe(404);
    expect((await get('/v1/reports/campaigns?from=2026-12-31&to=2026-11-01')).status).toBe(400);
    expect((await get('/v1/reports/campaigns?from=2026-02-30')).status).toBe(400);
    expect((await get(`/v1/reports/campaigns/${'x'.repeat(300)}`)).status).toBe(400);
    expect((await get(`/v1/reports/campaigns?campaign=${'x'.repeat(300)}`)).status).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const doc = z
      .object({ paths: z.record(z.string(), z.unknown()) })
      .parse(await (await get('/openapi.json')).json());
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/reports/campaigns', '/v1/reports/campaigns/{id}']),
    );
  });
});
