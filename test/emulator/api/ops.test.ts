// The marketing-ops API through the Hono app against DynamoDB Local: each endpoint's success path
// and its error shapes (problem JSON). Senders and the run starter are fakes that record.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../../shared/api/app.js';
import type { ApiDeps, RunStarter } from '../../../shared/api/deps.js';
import type { OutgoingEmail, OutgoingSms } from '../../../shared/ports/channels.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { opsTestConfig, touch } from '../support/fixtures.js';

const TOKEN = 'dev-token-123';
const example = (p: string): string =>
  readFileSync(new URL(`../../../examples/${p}`, import.meta.url), 'utf8');
const renewal = z
  .record(z.string(), z.unknown())
  .parse(JSON.parse(example('campaigns/contract-renewal.json')));

let store: DynamoStores;
let app: ReturnType<typeof createApp>;
const emails: OutgoingEmail[] = [];
const sms: OutgoingSms[] = [];
const started: { date: string; campaignId?: string }[] = [];

const runs: RunStarter = {
  start: async (input) => {
    started.push(input);
    return { executionId: `exec-${started.length}` };
  },
  status: async (id) => (id === 'exec-1' ? { status: 'SUCCEEDED', output: { runId: 'r1' } } : undefined),
};

function deps(s: DynamoStores): ApiDeps {
  return {
    store: s,
    email: {
      send: async (m) => {
        emails.push(m);
        return { ok: true, providerMessageId: `e-${emails.length}` };
      },
    },
    sms: {
      send: async (m) => {
        sms.push(m);
        return { ok: true, providerMessageId: `s-${sms.length}` };
      },
    },
    events: { publish: async () => {} },
    clock: { now: () => new Date('2026-11-26T08:00:00Z') },
    runs,
    log: { info: () => {}, error: () => {} },
    config: opsTestConfig(TOKEN),
  };
}

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = json) =>
  app.request(path, {
    method,
    headers,
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

// Response bodies are read through small loose schemas: the test states the fields it relies on.
const problemBody = z.looseObject({
  type: z.string().regex(/^https:\/\//),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), line: z.number().optional() }))
    .optional(),
});
const record = z.looseObject({
  version: z.number(),
  paused: z.boolean(),
  campaign: z.looseObject({ id: z.string(), name: z.string() }),
});
const anyObject = z.record(z.string(), z.unknown());
const message = z.looseObject({
  stepId: z.string(),
  channel: z.string(),
  locale: z.string(),
  forTier: z.boolean(),
  subject: z.string().optional(),
});
const preview = z.looseObject({
  customerId: z.string(),
  tier: z.string().nullable(),
  messages: z.array(message),
});
const plan = z.looseObject({
  date: z.string(),
  touches: z.array(anyObject),
  summary: z.object({
    planned: z.number(),
    suppressed: z.number(),
    byReason: z.record(z.string(), z.number()),
  }),
});
const withId = z.looseObject({ id: z.string() });
const customerBody = z.looseObject({ id: z.string(), name: z.string(), monthlyValue: z.number() });
const contractBody = z.looseObject({ id: z.string(), customerId: z.string() });
const exported = z.looseObject({
  customer: withId,
  contracts: z.array(withId),
  events: z.array(withId),
  deliveries: z.array(anyObject),
  consent: z.looseObject({ current: anyObject }),
});
const erasure = z.object({
  anonymousId: z.string(),
  profile: z.boolean(),
  ledgerRows: z.number(),
  contracts: z.number(),
  events: z.number(),
});
const page = z.object({ deliveries: z.array(anyObject), nextCursor: z.string().optional() });
const openapi = z.looseObject({
  paths: z.record(z.string(), z.unknown()),
  components: z.looseObject({ securitySchemes: z.record(z.string(), anyObject) }),
});

const read = async <S extends z.ZodType>(res: Response, schema: S): Promise<z.output<S>> =>
  schema.parse(await res.json());

async function expectProblem(res: Response, status: number): Promise<z.output<typeof problemBody>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = await read(res, problemBody);
  expect(body.status).toBe(status);
  return body;
}

beforeAll(async () => {
  ({ store } = await createTestStore());
  app = createApp(deps(store));
  const ndjson = { ...auth, 'content-type': 'application/x-ndjson' };
  expect((await call('PUT', '/v1/settings', JSON.parse(example('settings.json')))).status).toBe(200);
  expect((await call('POST', '/v1/customers:import', example('customers.ndjson'), ndjson)).status).toBe(200);
  expect((await call('POST', '/v1/contracts:import', example('contracts.ndjson'), ndjson)).status).toBe(200);
  expect((await call('POST', '/v1/events:import', example('events.ndjson'), ndjson)).status).toBe(200);
});

describe('authentication, limits and framework errors', () => {
  it('refuses a missing or wrong token alike, with the 403 problem API Gateway answers in the cloud', async () => {
    const missing = await expectProblem(await app.request('/v1/campaigns'), 403);
    const wrong = await expectProblem(
      await app.request('/v1/campaigns', { headers: { authorization: 'Bearer nope' } }),
      403,
    );
    expect(missing).toMatchObject({ title: 'Forbidden' });
    expect(wrong).toMatchObject({ title: 'Forbidden' });
  });

  it('refuses an ops request when no token is configured and no IAM caller is present (never fails open)', async () => {
    const open = createApp({ ...deps(store), config: { ...deps(store).config, opsToken: undefined } });
    await expectProblem(await open.request('/v1/campaigns'), 403);
    const viaGateway = await open.request(
      '/v1/campaigns',
      {},
      { requestContext: { identity: { userArn: 'arn:aws:iam::1:user/ops' } } },
    );
    expect(viaGateway.status).toBe(200);
  });

  it('answers malformed JSON with 400, a non-JSON body with 415, a large body with 413, unknown paths with 404', async () => {
    const malformed = await expectProblem(await call('POST', '/v1/campaigns', '{"id": '), 400);
    expect(malformed.detail).toMatch(/JSON/);
    await expectProblem(
      await call('POST', '/v1/campaigns', 'id=x', { ...auth, 'content-type': 'text/plain' }),
      415,
    );
    await expectProblem(await call('PUT', '/v1/settings', JSON.stringify({ pad: 'x'.repeat(70_000) })), 413);
    await expectProblem(await call('GET', '/v1/nothing-here'), 404);
  });
});

describe('campaigns', () => {
  it('creates version 1, refuses a second create (409), adds immutable versions with PUT', async () => {
    const created = await call('POST', '/v1/campaigns', renewal);
    expect(created.status).toBe(201);
    expect(await read(created, record)).toMatchObject({
      version: 1,
      paused: false,
      campaign: { id: 'contract-renewal' },
    });
    await expectProblem(await call('POST', '/v1/campaigns', renewal), 409);

    const v2 = await call('PUT', '/v1/campaigns/contract-renewal', { ...renewal, name: 'Renewal v2' });
    expect(await read(v2, record)).toMatchObject({ version: 2, campaign: { name: 'Renewal v2' } });
    const v1 = await read(
      await call('GET', '/v1/campaigns/contract-renewal/versions/1'),
      z.looseObject({ version: z.number(), campaign: withId.extend({ name: z.string() }) }),
    );
    expect(v1).toMatchObject({ version: 1, campaign: { name: renewal.name } });
    expect((await read(await call('GET', '/v1/campaigns/contract-renewal'), record)).version).toBe(2);
    const list = await read(await call('GET', '/v1/campaigns'), z.object({ campaigns: z.array(record) }));
    expect(list.campaigns.map((r) => r.campaign.id)).toEqual(['contract-renewal']);
  });

  it('answers unknown ids and versions with 404, schema errors with 400 and paths, id mismatch with 422', async () => {
    await expectProblem(await call('GET', '/v1/campaigns/nope'), 404);
    await expectProblem(await call('GET', '/v1/campaigns/contract-renewal/versions/99'), 404);
    await expectProblem(await call('PUT', '/v1/campaigns/nope', { ...renewal, id: 'nope' }), 404);
    const bad = await expectProblem(
      await call('POST', '/v1/campaigns', { ...renewal, priority: 'high' }),
      400,
    );
    expect(bad.errors).toContainEqual(expect.objectContaining({ path: 'priority' }));
    await expectProblem(
      await call('PUT', '/v1/campaigns/contract-renewal', { ...renewal, id: 'other' }),
      422,
    );
  });

  it('validates: 200 for a good campaign, 422 with paths for schema and template problems', async () => {
    expect(await read(await call('POST', '/v1/campaigns/validate', renewal), anyObject)).toEqual({
      valid: true,
      id: 'contract-renewal',
      steps: 3,
    });
    const schema = await expectProblem(
      await call('POST', '/v1/campaigns/validate', { ...renewal, steps: [] }),
      422,
    );
    expect(schema.errors?.[0]?.path).toBe('steps');
    const tpl = z
      .looseObject({
        templates: z.record(
          z.string(),
          z.looseObject({ email: z.record(z.string(), z.looseObject({ text: z.string() })) }),
        ),
      })
      .parse(structuredClone(renewal));
    const offer = tpl.templates['renewal-offer']?.email['en-US'];
    expect(offer).toBeDefined();
    if (offer) offer.text = 'Hi {{ customer.nosuchfield }}';
    const checked = await expectProblem(await call('POST', '/v1/campaigns/validate', tpl), 422);
    expect(checked.errors?.some((e) => e.path.startsWith('templates.renewal-offer'))).toBe(true);
    expect(await store.campaigns.getCampaign('never-stored')).toBeUndefined();
  });

  it('pauses and resumes; 404 for an unknown campaign', async () => {
    expect((await read(await call('POST', '/v1/campaigns/contract-renewal/pause'), record)).paused).toBe(
      true,
    );
    expect((await read(await call('POST', '/v1/campaigns/contract-renewal/resume'), record)).paused).toBe(
      false,
    );
    await expectProblem(await call('POST', '/v1/campaigns/nope/pause'), 404);
  });

  it("previews every step's messages for a customer in their locale, with a sample contract", async () => {
    const res = await call('POST', '/v1/campaigns/contract-renewal/preview', { customerId: 'c-1002' });
    expect(res.status).toBe(200);
    const body = await read(res, preview);
    expect(body).toMatchObject({ customerId: 'c-1002', tier: 'business' });
    const offer = body.messages.find((m) => m.stepId === 'd-30' && m.channel === 'email');
    expect(offer).toMatchObject({ locale: 'en-US', forTier: true });
    expect(offer?.subject).toContain('Maria Garcia');
    const zh = await read(
      await call('POST', '/v1/campaigns/contract-renewal/preview', { customerId: 'c-1001' }),
      preview,
    );
    expect(zh.messages[0]?.locale).toBe('zh-CN');
    await expectProblem(
      await call('POST', '/v1/campaigns/contract-renewal/preview', { customerId: 'nobody' }),
      404,
    );
    await expectProblem(
      await call('POST', '/v1/campaigns/contract-renewal/preview', { customer: 'c-1' }),
      400,
    );
  });

  it('test-sends to the given address only and records nothing in the ledger', async () => {
    const before = await store.ledger.listDeliveries({ campaignId: 'contract-renewal' });
    const res = await call('POST', '/v1/campaigns/contract-renewal/test-send', {
      stepId: 'd-30',
      channel: 'email',
      address: 'ops@example.org',
      customerId: 'c-1002',
    });
    expect(res.status).toBe(200);
    expect(emails.at(-1)).toMatchObject({ to: 'ops@example.org', tags: { test: 'true' } });
    expect(emails.at(-1)?.subject).toContain('Maria Garcia');
    const text = await call('POST', '/v1/campaigns/contract-renewal/test-send', {
      stepId: 'd-7',
      channel: 'sms',
      address: '+14155550100',
    });
    expect(text.status).toBe(200);
    expect(sms.map((m) => m.to)).toEqual(['+14155550100']);
    expect(await store.ledger.listDeliveries({ campaignId: 'contract-renewal' })).toEqual(before);
    const badAddress = await expectProblem(
      await call('POST', '/v1/campaigns/contract-renewal/test-send', {
        stepId: 'd-30',
        channel: 'sms',
        address: 'ops@example.org',
      }),
      400,
    );
    expect(badAddress.errors?.[0]?.path).toBe('address');
    await expectProblem(
      await call('POST', '/v1/campaigns/contract-renewal/test-send', {
        stepId: 'nope',
        channel: 'email',
        address: 'a@b.co',
      }),
      404,
    );
  });
});

describe('plan and runs', () => {
  it('plans a date (the contract plan JSON), 400 for a bad date, 404 for an unknown campaign', async () => {
    const p = await read(await call('GET', '/v1/plan?date=2026-11-26&campaign=contract-renewal'), plan);
    expect(p.date).toBe('2026-11-26');
    expect(p.summary.planned + p.summary.suppressed).toBe(p.touches.length);
    expect(p.touches.length).toBeGreaterThan(0);
    expect((await expectProblem(await call('GET', '/v1/plan?date=2026-02-30'), 400)).errors?.[0]?.path).toBe(
      'date',
    );
    await expectProblem(await call('GET', '/v1/plan?date=2026-11-26&campaign=nope'), 404);
  });

  it('starts a run (202 + execution id) and reads its status; 404 for unknown ids', async () => {
    const res = await call('POST', '/v1/runs', { date: '2026-11-26' });
    expect(res.status).toBe(202);
    expect(await read(res, anyObject)).toEqual({ executionId: 'exec-1' });
    expect(started).toEqual([{ date: '2026-11-26' }]);
    expect(await read(await call('GET', '/v1/runs/exec-1'), anyObject)).toMatchObject({
      status: 'SUCCEEDED',
    });
    await expectProblem(await call('GET', '/v1/runs/exec-404'), 404);
    await expectProblem(await call('POST', '/v1/runs', { date: '2026-11-26', campaignId: 'nope' }), 404);
    await expectProblem(await call('POST', '/v1/runs', { date: 'tomorrow' }), 400);
    expect(started).toHaveLength(1);
  });
});

describe('customers, contracts, imports', () => {
  it('imports all or nothing: a bad line stores nothing and lists line, path and message', async () => {
    const lines = [
      {
        id: 'c-new',
        name: 'New',
        locale: 'en-US',
        timeZone: 'UTC',
        monthlyValue: 1,
        consent: { email: false, sms: false },
      },
      {
        id: 'c-bad',
        name: 'Bad',
        locale: 'en-US',
        timeZone: 'Mars/Base',
        monthlyValue: 1,
        consent: { email: false, sms: false },
      },
    ];
    const refused = await expectProblem(await call('POST', '/v1/customers:import', lines), 422);
    expect(refused.errors).toEqual([expect.objectContaining({ line: 2, path: 'timeZone' })]);
    await expectProblem(await call('GET', '/v1/customers/c-new'), 404);
    const ndjson = await expectProblem(
      await call('POST', '/v1/events:import', '{"id":"e1"}\nnot json\n', {
        ...auth,
        'content-type': 'application/x-ndjson',
      }),
      422,
    );
    // Every bad line, by physical line, with the same messages as a file import.
    expect((ndjson.errors ?? []).map((e) => [e.line, e.path])).toEqual([
      [1, 'customerId'],
      [1, 'type'],
      [1, 'occurredAt'],
      [2, ''],
    ]);
    expect(ndjson.errors?.[3]?.message).toMatch(/^invalid JSON: /);
    await expectProblem(await call('POST', '/v1/contracts:import', { id: 'k' }), 400);
    await expectProblem(
      await call('POST', '/v1/contracts:import', 'a,b', { ...auth, 'content-type': 'text/csv' }),
      415,
    );
  });

  it('gets and replaces customers and contracts; 404 unknown, 422 id mismatch, 201 when created', async () => {
    const maria = await read(await call('GET', '/v1/customers/c-1002'), customerBody);
    expect(maria.name).toBe('Maria Garcia');
    const put = await call('PUT', '/v1/customers/c-1002', { ...maria, monthlyValue: 700 });
    expect(put.status).toBe(200);
    expect((await store.customers.getCustomer('c-1002'))?.monthlyValue).toBe(700);
    await expectProblem(await call('PUT', '/v1/customers/c-1002', { ...maria, id: 'c-9' }), 422);
    await expectProblem(await call('GET', '/v1/customers/nobody'), 404);

    const k = await read(await call('GET', '/v1/contracts/k-2002'), contractBody);
    expect(k.customerId).toBe('c-1002');
    const fresh = await call('PUT', '/v1/contracts/k-9', { ...k, id: 'k-9' });
    expect(fresh.status).toBe(201);
    await expectProblem(
      await call('PUT', '/v1/contracts/k-9', { ...k, id: 'k-9', endDate: '2020-01-01' }),
      400,
    );
    await expectProblem(await call('GET', '/v1/contracts/nope'), 404);
  });

  it("exports one customer's data: profile, contracts, events, deliveries, consent", async () => {
    await store.ledger.reserve(
      touch({ campaignId: 'contract-renewal', customerId: 'c-1003', address: 'chen.jing@example.com' }),
      'run-x',
      '2026-11-01T00:00:00Z',
    );
    const data = await read(await call('GET', '/v1/customers/c-1003/export'), exported);
    expect(data.customer.id).toBe('c-1003');
    expect(data.contracts.map((c) => c.id)).toEqual(['k-2003']);
    expect(data.events.map((e) => e.id)).toEqual(['ev-3001']);
    expect(data.deliveries).toHaveLength(1);
    expect(data.consent.current).toEqual({ email: true, sms: true });
    await expectProblem(await call('GET', '/v1/customers/nobody/export'), 404);
  });

  it('erases a customer: PII gone, ledger rows kept anonymously; a second erase is 404', async () => {
    const [before] = await store.ledger.listDeliveries({ customerId: 'c-1003' });
    const res = await call('DELETE', '/v1/customers/c-1003');
    expect(res.status).toBe(200);
    const report = await read(res, erasure);
    expect(report).toMatchObject({ profile: true, ledgerRows: 1, contracts: 1, events: 1 });
    await expectProblem(await call('GET', '/v1/customers/c-1003'), 404);
    await expectProblem(await call('GET', '/v1/contracts/k-2003'), 404);
    expect(await store.ledger.listDeliveries({ customerId: 'c-1003' })).toEqual([]);
    const anon = await store.ledger.listDeliveries({ customerId: report.anonymousId });
    expect(anon).toHaveLength(1);
    expect(anon[0]).toMatchObject({
      campaignId: 'contract-renewal',
      stepId: 'd30',
      status: before?.status,
      dueDate: '2026-11-01',
    });
    expect(anon[0]?.address).toBeUndefined();
    expect(JSON.stringify(anon)).not.toContain('c-1003');
    expect(
      (await store.ledger.listDeliveries({ campaignId: 'contract-renewal' })).map((d) => d.customerId),
    ).toContain(report.anonymousId);
    await expectProblem(await call('DELETE', '/v1/customers/c-1003'), 404);
  });
});

describe('deliveries and settings', () => {
  it('pages the ledger with an opaque cursor over a stable order, and refuses a forged cursor', async () => {
    for (let i = 0; i < 5; i++)
      await store.ledger.reserve(
        touch({
          campaignId: 'contract-renewal',
          customerId: 'c-1001',
          stepId: `s${i}`,
          dueDate: `2026-11-0${i + 1}`,
        }),
        'run-p',
        '2026-11-01T00:00:00Z',
      );
    for (const filter of ['customer=c-1001', 'campaign=contract-renewal', '']) {
      const all = await read(await call('GET', `/v1/deliveries?${filter}&limit=500`), page);
      const seen: unknown[] = [];
      let cursor: string | undefined;
      do {
        const next = await read(
          await call('GET', `/v1/deliveries?${filter}&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
          page,
        );
        expect(next.deliveries.length).toBeLessThanOrEqual(2);
        seen.push(...next.deliveries);
        cursor = next.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.deliveries);
      expect(seen.length).toBeGreaterThanOrEqual(5);
    }
    await expectProblem(await call('GET', '/v1/deliveries?cursor=bm90LWpzb24'), 400);
    await expectProblem(await call('GET', '/v1/deliveries?limit=0'), 400);
  });

  it('reads and replaces settings; refuses unordered tiers with paths', async () => {
    const s = await read(await call('GET', '/v1/settings'), anyObject);
    expect(s.activityEventTypes).toEqual(['app.login', 'purchase', 'top-up']);
    const bad = await expectProblem(
      await call('PUT', '/v1/settings', {
        tiers: [
          { id: 'a', minMonthlyValue: 1 },
          { id: 'b', minMonthlyValue: 5 },
        ],
      }),
      400,
    );
    expect(bad.errors?.[0]?.path).toBe('tiers.1.minMonthlyValue');
  });
});

describe('documentation', () => {
  it('documents every ops route in /openapi.json and lists them on /reference', async () => {
    const doc = await read(await app.request('/openapi.json'), openapi);
    for (const path of [
      '/v1/campaigns',
      '/v1/campaigns/{id}/preview',
      '/v1/customers:import',
      '/v1/deliveries',
      '/v1/runs/{executionId}',
      '/v1/run-results/{runId}',
      '/v1/partners',
      '/v1/partners/{id}/rotate',
      '/v1/suppressions',
      '/v1/suppressions/{address}',
      '/v1/customers/{id}/view',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ scheme: 'bearer' });
    const html = await (await app.request('/reference')).text();
    expect(html).toContain('/v1/customers/{id}/export');
    expect(html).not.toMatch(/<script|https:\/\/cdn/);
  });
});
