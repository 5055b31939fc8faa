// The reads behind the console (docs/console.md, "Reads behind the console"), through the Hono app
// against DynamoDB Local: the calendar (the dry run of each day, writing nothing, agreeing with
// GET /v1/plan), customer search, campaign versions and partner activity, and their problem answers.
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../../shared/api/app.js';
import type { ApiDeps } from '../../../shared/api/deps.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { campaignVersionsSchema } from '../../../shared/usecases/campaigns/versions.js';
import { customerSearchSchema } from '../../../shared/usecases/customers/search.js';
import { partnerActivitySchema } from '../../../shared/usecases/partners/activity.js';
import { partnerAddedSchema } from '../../../shared/usecases/partners/schemas.js';
import {
  calendarDaySchema,
  calendarTotals,
  calendarTotalsSchema,
} from '../../../shared/usecases/plan/calendar-day.js';
import { loadExamples } from '../../support/examples.js';
import { createTestStore } from '../support/ddb.js';
import { customer, exampleCampaign, opsTestConfig } from '../support/fixtures.js';

const TOKEN = 'dev-token-console';
const clock = { t: Date.parse('2026-11-26T08:00:00Z'), now: () => new Date(clock.t) };
const problem = z.looseObject({ type: z.string(), title: z.string(), status: z.number() });
const calendarSchema = z.object({
  from: z.string(),
  days: z.array(calendarDaySchema),
  totals: calendarTotalsSchema,
  nextFrom: z.string().optional(),
});
const planSchema = z.looseObject({
  summary: z.object({
    planned: z.number(),
    suppressed: z.number(),
    byReason: z.record(z.string(), z.number()),
  }),
  cost: z.looseObject({ total: z.number() }),
});

let app: ReturnType<typeof createApp>;
let store: DynamoStores;

beforeAll(async () => {
  ({ store } = await createTestStore());
  const unused = { send: async () => ({ ok: false as const, retryable: false, error: 'not in this test' }) };
  const deps: ApiDeps = {
    store,
    email: unused,
    sms: unused,
    events: { publish: async () => {} },
    clock,
    runs: { start: async () => ({ executionId: 'x' }), status: async () => undefined },
    log: { info: () => {}, error: () => {} },
    config: opsTestConfig(TOKEN),
  };
  app = createApp(deps);
  await loadExamples(store);
}, 60_000);

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as unknown,
  };
};

const expectProblem = async (path: string, status = 400) => {
  const res = await call('GET', path);
  expect(res.status, path).toBe(status);
  expect(res.type).toContain('application/problem+json');
  expect(problem.parse(res.body).status).toBe(status);
};

describe('GET /v1/calendar', () => {
  it("gives each day the dry run's counts and cost, the same as GET /v1/plan, and writes nothing", async () => {
    store.resetCapacity();
    const started = performance.now();
    // As the console does: a request that ran out of time says where to go on.
    const days: z.infer<typeof calendarDaySchema>[] = [];
    let requests = 0;
    for (let from: string | undefined = '2026-11-26'; from !== undefined; requests++) {
      const left = 15 - days.length;
      const res = await call('GET', `/v1/calendar?from=${from}&days=${left}`);
      expect(res.status).toBe(200);
      const page = calendarSchema.parse(res.body);
      expect(page.from).toBe(from);
      expect(page.days.length).toBeGreaterThan(0);
      days.push(...page.days);
      from = page.nextFrom;
    }
    const ms = performance.now() - started;
    expect(store.capacity.write).toBe(0);
    console.log(
      `calendar: 15 days of the worked example in ${ms.toFixed(0)} ms (${requests} requests), ${store.capacity.read} RCU`,
    );
    const calendar = { days, totals: calendarTotals(days, 'USD') };
    expect(calendar.days.map((d) => d.date)).toHaveLength(15);
    expect(calendar.days[14]?.date).toBe('2026-12-10');

    // examples/README.md, 2026-11-26: three messages out, one held out.
    const first = calendar.days[0];
    expect(first?.touches).toBe(3);
    expect(first?.suppressions).toEqual([{ reason: 'holdout', count: 1 }]);
    expect(first?.groups).toContainEqual(
      expect.objectContaining({
        campaignId: 'contract-renewal',
        stepId: 'd-14',
        channel: 'email',
        touches: 1,
      }),
    );

    for (const day of calendar.days.filter((_, i) => i % 5 === 0)) {
      const plan = planSchema.parse((await call('GET', `/v1/plan?date=${day.date}&limit=1`)).body);
      expect(day.touches, day.date).toBe(plan.summary.planned);
      expect(day.suppressed, day.date).toBe(plan.summary.suppressed);
      expect(Object.fromEntries(day.suppressions.map((s) => [s.reason, s.count]))).toEqual(
        plan.summary.byReason,
      );
      expect(day.estimatedCost.amount, day.date).toBe(plan.cost.total);
    }
    expect(calendar.totals.touches).toBe(calendar.days.reduce((n, d) => n + d.touches, 0));
    expect(calendar.totals.touches).toBeGreaterThan(3);
  }, 300_000);

  it('starts today (UTC) by default, and takes one campaign', async () => {
    const today = calendarSchema.parse((await call('GET', '/v1/calendar?days=1')).body);
    expect(today.from).toBe('2026-11-26');
    expect(today.days.map((d) => d.date)).toEqual(['2026-11-26']);
    const one = calendarSchema.parse((await call('GET', '/v1/calendar?days=3&campaign=win-back')).body);
    expect(new Set(one.days.flatMap((d) => d.groups.map((g) => g.campaignId)))).toEqual(
      new Set(['win-back']),
    );
    await expectProblem('/v1/calendar?campaign=nope', 404);
  }, 120_000);

  it('refuses a bad date or a day count outside 1..31 with a problem', async () => {
    for (const q of ['from=2026-02-30', 'from=26-11-2026', 'days=0', 'days=40', 'days=1.5', 'days=x'])
      await expectProblem(`/v1/calendar?${q}`);
  });
});

describe('GET /v1/customers?q=', () => {
  beforeAll(async () => {
    await store.documents.putCustomers([
      customer({ id: 's-1', email: 'Mei.Lin@Example.COM', phone: '+14155550177', monthlyValue: 600 }),
      customer({ id: 's-2', email: 'shared@example.com', phone: '+14155550177' }),
      customer({ id: 's-3', email: 'Shared@Example.com' }),
    ]);
  });
  const ids = async (q: string) =>
    customerSearchSchema
      .parse((await call('GET', `/v1/customers?q=${encodeURIComponent(q)}`)).body)
      .customers.map((c) => `${c.id}:${c.matched}`);

  it('finds by id, by email (any case and spacing) and by phone (any international spelling)', async () => {
    const found = customerSearchSchema.parse((await call('GET', '/v1/customers?q=s-1')).body);
    expect(found.customers).toEqual([
      {
        id: 's-1',
        name: 'Customer s-1',
        email: 'Mei.Lin@Example.COM',
        phone: '+14155550177',
        locale: 'en-US',
        tier: 'key',
        matched: 'id',
      },
    ]);
    expect(await ids(' MEI.LIN@example.com ')).toEqual(['s-1:email']);
    expect(await ids('shared@EXAMPLE.com')).toEqual(['s-2:email', 's-3:email']);
    expect(await ids('+1 (415) 555-0177')).toEqual(['s-1:phone', 's-2:phone']);
    expect(await ids('0014155550177')).toEqual(['s-1:phone', 's-2:phone']);
    expect(await ids('nobody@example.com')).toEqual([]);
    expect(await ids('4155550123')).toEqual([]);
  });

  it('finds nothing of an erased customer, by any of the three', async () => {
    await store.documents.putCustomers([
      customer({ id: 's-gone', email: 'gone@example.com', phone: '+14155550199' }),
    ]);
    expect(await ids('gone@example.com')).toEqual(['s-gone:email']);
    expect((await call('DELETE', '/v1/customers/s-gone')).status).toBe(200);
    expect(await ids('s-gone')).toEqual([]);
    expect(await ids('gone@example.com')).toEqual([]);
    expect(await ids('+14155550199')).toEqual([]);
  });

  it('refuses an empty, blank or oversized q with a problem', async () => {
    await expectProblem('/v1/customers');
    await expectProblem('/v1/customers?q=');
    await expectProblem('/v1/customers?q=%20%20');
    await expectProblem(`/v1/customers?q=${'a'.repeat(300)}`);
    await expectProblem('/v1/customers?q=a%00b');
  });
});

describe('GET /v1/campaigns/{id}/versions', () => {
  it('lists the versions newest first, the current one marked', async () => {
    const doc = exampleCampaign('birthday');
    await call('PUT', '/v1/campaigns/birthday', { ...doc, name: `${doc.name} v2` });
    clock.t += 60_000;
    await call('PUT', '/v1/campaigns/birthday', { ...doc, name: `${doc.name} v3` });
    const { versions } = campaignVersionsSchema.parse(
      (await call('GET', '/v1/campaigns/birthday/versions')).body,
    );
    expect(versions.map((v) => [v.version, v.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(versions.every((v) => v.updatedAt !== undefined)).toBe(true);
    await expectProblem('/v1/campaigns/nope/versions', 404);
    await expectProblem(`/v1/campaigns/${'x'.repeat(300)}/versions`);
  });
});

describe('GET /v1/partners/{id}/activity', () => {
  it("lists the partner's accepted events newest first and counts its refusals per hour and reason", async () => {
    const added = partnerAddedSchema.parse((await call('POST', '/v1/partners', { id: 'acme' })).body);
    const send = async (body: string, id: string, contentType = 'application/json') => {
      const at = new Date(clock.t);
      const res = await app.request('/webhooks/acme', {
        method: 'POST',
        body,
        headers: {
          'content-type': contentType,
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(added.secret).sign(id, at, body),
        },
      });
      return res.status;
    };
    const ev = (id: string, customerId = 'c-1001') =>
      JSON.stringify({ id, customerId, type: 'app.login', occurredAt: '2026-11-26T07:00:00Z' });
    expect(await send(ev('ev-a1'), 'w1')).toBe(202);
    clock.t += 1000;
    expect(await send(ev('ev-a2'), 'w2')).toBe(202);
    // The bus is not in this test: ev-a2 is stored as ingest-event would store it, ev-a1 is not yet.
    await store.documents.putEvents([
      { id: 'ev-a2', customerId: 'c-1001', type: 'app.login', occurredAt: '2026-11-26T07:00:00Z' },
    ]);
    expect(await send(ev('ev-a2'), 'w2')).toBe(202); // a replay: no second entry
    expect(await send('not json', 'w3')).toBe(400);
    expect(await send(ev('ev-a3', 'c-nobody'), 'w4')).toBe(422);
    expect(await send(ev('ev-a4', 'c-nobody'), 'w5')).toBe(422);
    expect(await send(ev('ev-a5'), 'w6', 'text/plain')).toBe(415);
    // Unknown partner and bad signature: refused before anyone is known, nothing counted.
    expect(
      (await app.request('/webhooks/nobody', { method: 'POST', body: ev('x'), headers: {} })).status,
    ).toBe(401);

    const activity = partnerActivitySchema.parse((await call('GET', '/v1/partners/acme/activity')).body);
    expect(activity.events).toEqual([
      { id: 'ev-a2', type: 'app.login', customerId: 'c-1001', receivedAt: new Date(clock.t).toISOString() },
      { id: 'ev-a1', type: 'app.login', receivedAt: new Date(clock.t - 1000).toISOString() },
    ]);
    expect(activity.refusals).toEqual([
      { hour: '2026-11-26T08:00:00.000Z', reason: 'not-json', count: 1 },
      { hour: '2026-11-26T08:00:00.000Z', reason: 'unknown-customer', count: 2 },
      { hour: '2026-11-26T08:00:00.000Z', reason: 'unsupported-media-type', count: 1 },
    ]);
    expect(JSON.stringify(activity)).not.toContain('c-nobody');

    await expectProblem('/v1/partners/nobody/activity', 404);
    await expectProblem('/v1/partners/Not%20An%20Id/activity');
  });
});
