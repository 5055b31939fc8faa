// GET /v1/plan a page at a time over in-memory stores: a day too large for one answer (API Gateway's
// 6 MB and 29 s) is read in pages whose touches, put together, are the unpaged plan exactly once each.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { wholePlan, wholeRunResult } from '../../../local/cli/commands/plan-run.js';
import type { ApiClient } from '../../../local/cli/remote/client.js';
import { encodePlanCursor } from '../../../shared/api/ops/plan-cursor.js';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import { planDay } from '../../../shared/usecases/plan/plan.js';
import { planReportSchema, runResultSchema } from '../../../shared/usecases/plan/report.js';
import { runResult } from '../../../shared/usecases/runs/run-result.js';
import { MEMORY_API_TOKEN, memoryApi } from '../../support/fakes/memory-api.js';
import { loadExamples } from '../domain/example-data.js';

const DATE = '2026-11-26';
const page = planReportSchema.extend({ nextCursor: z.string().optional() });
const runPage = runResultSchema.extend({ nextCursor: z.string().optional() });
/** A cursor of another route's pages (a day's plan), which a run's pages must refuse. */
const planCursorOfDate = () => encodePlanCursor({ date: DATE }, { offset: 2, fingerprint: 'f' });

async function seeded() {
  const m = memoryApi();
  const data = loadExamples();
  await m.store.settings.putSettings(data.settings);
  await m.store.documents.putCustomers(data.customers);
  await m.store.documents.putContracts(data.contracts);
  await m.store.documents.putEvents(data.events);
  for (const c of data.campaigns) await m.store.campaigns.putCampaign(c);
  const get = (query: string) =>
    m.api.request(`/v1/plan?${query}`, { headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` } });
  return { ...m, data, get };
}

/** A client over the in-memory API whose pages hold 2 touches, whatever limit the CLI asks for. */
function pagesOfTwo(api: ReturnType<typeof memoryApi>['api'], onCall: () => void): ApiClient {
  return {
    origin: 'http://memory',
    async call(method, path, opts = {}) {
      onCall();
      const url = new URL(path, 'http://memory');
      for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      url.searchParams.set('limit', '2');
      const res = await api.request(`${url.pathname}${url.search}`, {
        method,
        headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` },
      });
      expect(res.status).toBe(200);
      return { status: res.status, body: await res.json() };
    },
  };
}

describe('GET /v1/plan pages', () => {
  it('pages a large day instead of answering it whole: every touch exactly once, in plan order, the day summary on every page', async () => {
    const { store, get } = await seeded();
    const whole = await planDay({ store }, { date: DATE });
    if (!whole.ok) throw new Error('the examples plan');
    expect(whole.report.touches.length).toBeGreaterThan(2);

    const touches: unknown[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const res = await get(`date=${DATE}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const p = page.parse(await res.json());
      expect(p.touches.length).toBeLessThanOrEqual(2);
      expect(p.summary).toEqual(whole.report.summary);
      touches.push(...p.touches);
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(Math.ceil(whole.report.touches.length / 2));
    expect(touches).toEqual(whole.report.touches);

    const unpaged = page.parse(await (await get(`date=${DATE}`)).json());
    expect(unpaged.nextCursor).toBeUndefined();
    expect(unpaged.touches).toEqual(whole.report.touches);
  });

  it("refuses a forged cursor, and one from another date's or campaign's pages, with a 400 naming cursor", async () => {
    const { get } = await seeded();
    const first = page.parse(await (await get(`date=${DATE}&limit=1`)).json());
    expect(first.nextCursor).toBeDefined();
    const forged = [
      'not-a-cursor',
      Buffer.from(JSON.stringify({ q: 'x', o: 1, p: 'y' })).toString('base64url'),
      Buffer.from(JSON.stringify({ o: -5 })).toString('base64url'),
    ];
    const foreign = encodePlanCursor({ date: '2026-11-27' }, { offset: 1, fingerprint: 'f' });
    for (const cursor of [...forged, foreign]) {
      const res = await get(`date=${DATE}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errors: [{ path: 'cursor' }] });
    }
    const otherCampaign = await get(
      `date=${DATE}&campaign=contract-renewal&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(otherCampaign.status).toBe(400);
    expect((await get(`date=${DATE}&limit=5001`)).status).toBe(400);
    expect((await get(`date=${DATE}&limit=0`)).status).toBe(400);
  });

  it('refuses a cursor whose plan changed since (409), rather than skipping or repeating a touch', async () => {
    const { store, data, get } = await seeded();
    const first = page.parse(await (await get(`date=${DATE}&limit=1`)).json());
    const removed = data.customers.find((c) => c.id === first.touches[0]?.customerId);
    if (!removed) throw new Error('the first touch has a customer');
    await store.documents.putCustomers([{ ...removed, consent: { email: false, sms: false } }]);
    const res = await get(`date=${DATE}&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(res.status).toBe(409);
  });

  it('touchpoint plan prints the whole day as one contract document by paging through (never just the first page)', async () => {
    const { store, api } = await seeded();
    const whole = await planDay({ store }, { date: DATE });
    if (!whole.ok) throw new Error('the examples plan');
    let calls = 0;
    const printed = await wholePlan(
      pagesOfTwo(api, () => (calls += 1)),
      DATE,
      undefined,
    );
    expect(printed).toEqual(whole.report);
    expect(Object.keys(printed)).toEqual(['date', 'touches', 'summary']);
    expect(calls).toBe(Math.ceil(whole.report.touches.length / 2));
  });
});

describe('GET /v1/run-results/{runId} pages', () => {
  async function ranFive() {
    const m = memoryApi();
    const touch = (customerId: string, seq: number): PlannedTouch => ({
      campaignId: 'camp',
      stepId: 's1',
      customerId,
      channel: 'email',
      occasion: DATE,
      tier: 'key',
      locale: 'en-US',
      dueDate: DATE,
      sendAt: '2026-11-26T17:00:00.000Z',
      windowEnd: '2026-11-27T02:00:00.000Z',
      status: 'planned',
      template: 't',
      seq,
    });
    const touches = ['a', 'b', 'c', 'd', 'e'].map((id, i) => touch(id, i));
    await m.store.runs.putRunMeta({ runId: 'r1', date: DATE, startedAt: '', status: 'sending' });
    await m.store.runs.putRunBatches([
      { runId: 'r1', batchId: 'b1', sendAt: '2026-11-26T17:00:00.000Z', touches },
    ]);
    await m.store.runs.putRunBatchResults(
      'r1',
      'b1',
      touches.map((key, i) => ({ key, status: 'sent', providerMessageId: `m${i}` })),
    );
    const get = (query: string) =>
      m.api.request(`/v1/run-results/r1?${query}`, {
        headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` },
      });
    return { ...m, get };
  }

  it("pages a run's touches (a large run's result would pass API Gateway's 6 MB): each once, the run's summary on every page", async () => {
    const { store, get } = await ranFive();
    const whole = await runResult(store, 'r1');
    if (!whole) throw new Error('the run exists');
    const touches: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await get(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const p = runPage.parse(await res.json());
      expect(p.touches.length).toBeLessThanOrEqual(2);
      expect(p.summary).toEqual(whole.summary);
      touches.push(...p.touches);
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(touches).toEqual(whole.touches);
    expect((await get(`cursor=${encodeURIComponent(planCursorOfDate())}`)).status).toBe(400);
    expect((await get('limit=5001')).status).toBe(400);
  });

  it('touchpoint run prints the whole run as one contract document by paging through', async () => {
    const { store, api } = await ranFive();
    let calls = 0;
    const printed = await wholeRunResult(
      pagesOfTwo(api, () => (calls += 1)),
      'r1',
    );
    expect(printed).toEqual(await runResult(store, 'r1'));
    expect(Object.keys(printed).sort()).toEqual(['date', 'runId', 'summary', 'touches']);
    expect(calls).toBe(3);
  });
});
