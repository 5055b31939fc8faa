// POST /webhooks/{partnerId} through the whole local path: the Hono app (createApp), partners and
// receipts in DynamoDB Local, the synthesized template's bus rule, functions/ingest-event.ts and
// the store. The clock is a fake the test moves; signatures come from the standardwebhooks library.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localApiDeps } from '../../../local/api-server.js';
import type { CfnTemplate } from '../../../local/assembly-tables.js';
import { RuleBus } from '../../../local/bus-rules.js';
import { LocalBus } from '../../../local/local-bus.js';
import { loadTemplate } from '../../../local/synth.js';
import { createApp } from '../../../shared/api/app.js';
import { eventSchema } from '../../../shared/domain/documents.js';
import { newPartner, newSecret } from '../../../shared/partners/secrets.js';
import type { Stores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

const START = Date.parse('2026-11-26T12:00:00Z');
const clock = { t: START, now: () => new Date(clock.t) };
const notRunning = {
  send: async () => ({ ok: false as const, retryable: false, error: 'not in this test' }),
};

let template: CfnTemplate;
let store: Stores;
let client: DynamoDBDocumentClient;
let tableName: string;
let secret: string;

const problemJson = z.object({
  type: z.string().url(),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
});

/** Targets that failed on the bus (e.g. ingest-event refusing what the API accepted): must stay empty. */
let busFailures: unknown[] = [];

function makeApp(on: { store: Stores }) {
  const bus = new LocalBus();
  const deps = {
    store: on.store,
    email: notRunning,
    sms: notRunning,
    events: bus,
    clock,
    links: { unsubscribeBaseUrl: 'http://x/', unsubscribeSecret: 's' },
  };
  const apiDeps = localApiDeps({ template, deps, bus, dataDir: mkdtempSync(join(tmpdir(), 'tp-webhooks-')) });
  busFailures =
    apiDeps.events instanceof RuleBus
      ? apiDeps.events.failures
      : ['the API events are not the local RuleBus'];
  return createApp(apiDeps);
}
let app: ReturnType<typeof makeApp>;

function send(
  body: string,
  opts: {
    partner?: string;
    secret?: string;
    at?: number;
    id?: string;
    headers?: Record<string, string>;
    omit?: string[];
  } = {},
) {
  const id = opts.id ?? ulid();
  const at = new Date(opts.at ?? clock.t);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(opts.secret ?? secret).sign(id, at, body),
    ...opts.headers,
  };
  for (const h of opts.omit ?? []) delete headers[h];
  return app.request(`/webhooks/${opts.partner ?? 'acme'}`, { method: 'POST', body, headers });
}

const eventBody = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `ev-${ulid()}`,
    customerId: 'c-1',
    type: 'app.login',
    occurredAt: '2026-11-26T11:00:00Z',
    ...over,
  });

async function storedEvent(id: string, on = { client, tableName }) {
  const out = await on.client.send(
    new GetCommand({ TableName: on.tableName, Key: { pk: `EVENT#${id}`, sk: 'EVENT' } }),
  );
  return out.Item;
}

// A test's whole-table read: to prove that nothing was written, it must look everywhere, which no
// product path does (they read through keys and day indexes only).
async function rows(prefix: string, on = { client, tableName }): Promise<string[]> {
  const out = await on.client.send(
    new ScanCommand({
      TableName: on.tableName,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': prefix },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => String(i.pk));
}

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body: unknown = await res.json();
  expect(problemJson.parse(body).status).toBe(status);
  return body;
}

beforeAll(async () => {
  ({ template } = await loadTemplate());
  ({ store, client, tableName } = await createTestStore());
  await store.documents.putCustomers([customer({ id: 'c-1' }), customer({ id: 'c-2' })]);
  const acme = newPartner('acme', new Date(START));
  expect(await store.partners.addPartner(acme)).toBe(true);
  secret = acme.secrets[0]?.secret ?? '';
});

beforeEach(() => {
  clock.t = START;
  app = makeApp({ store });
});

afterEach(() => {
  expect(busFailures).toEqual([]);
});

describe('POST /webhooks/{partnerId}', () => {
  it('accepts a signed event: 202, and the bus rule stores it through ingest-event', async () => {
    const body = eventBody();
    const res = await send(body);
    expect(res.status).toBe(202);
    const id = z.object({ id: z.string() }).parse(JSON.parse(body)).id;
    expect(await res.json()).toEqual({ status: 'accepted', eventId: id, duplicate: false });
    expect(await storedEvent(id)).toMatchObject({ id, customerId: 'c-1', type: 'app.login' });
  });

  it('a replayed webhook-id is 202 again with no second effect, even with another body', async () => {
    const webhookId = ulid();
    const first = eventBody();
    expect((await send(first, { id: webhookId })).status).toBe(202);
    const replay = await send(first, { id: webhookId });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ status: 'accepted', duplicate: true });
    const other = eventBody();
    const sneaky = await send(other, { id: webhookId });
    expect(sneaky.status).toBe(202);
    expect(await storedEvent(z.object({ id: z.string() }).parse(JSON.parse(other)).id)).toBeUndefined();
    expect((await rows(`WEBHOOK#acme#${webhookId}`)).length).toBe(1);
  });

  it('refuses with 401 problem JSON: tampered body, wrong secret, missing headers, unknown partner, bad timestamp', async () => {
    const body = eventBody();
    const id = ulid();
    const ts = String(Math.floor(clock.t / 1000));
    const tampered = await app.request('/webhooks/acme', {
      method: 'POST',
      body: body.replace('app.login', 'app.logout'),
      headers: {
        'webhook-id': id,
        'webhook-timestamp': ts,
        'webhook-signature': new Webhook(secret).sign(id, clock.now(), body),
      },
    });
    await expectProblem(tampered, 401);
    await expectProblem(await send(body, { secret: newSecret(clock.now()).secret }), 401);
    for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
      await expectProblem(await send(body, { omit: [h] }), 401);
    await expectProblem(await send(body, { partner: 'nobody' }), 401);
    await expectProblem(await send(body, { partner: '..%2F..' }), 401);
    await expectProblem(await send(body, { at: clock.t - 6 * 60_000 }), 401);
    await expectProblem(await send(body, { at: clock.t + 6 * 60_000 }), 401);
    expect(await storedEvent(z.object({ id: z.string() }).parse(JSON.parse(body)).id)).toBeUndefined();
  });

  it('a rotated secret: the old one verifies within the rollover window, not after it', async () => {
    const p = newPartner('rotor', clock.now());
    await store.partners.addPartner(p);
    const old = p.secrets[0]?.secret ?? '';
    clock.t += 60_000;
    const next = newSecret(clock.now());
    await store.partners.rotatePartnerSecret('rotor', next, 3_600_000);
    expect((await send(eventBody(), { partner: 'rotor', secret: old })).status).toBe(202);
    expect((await send(eventBody(), { partner: 'rotor', secret: next.secret })).status).toBe(202);
    clock.t += 3_600_000;
    await expectProblem(await send(eventBody(), { partner: 'rotor', secret: old }), 401);
    expect((await send(eventBody(), { partner: 'rotor', secret: next.secret })).status).toBe(202);
  });

  it('an invalid body is a 400 problem with the zod paths, and nothing is stored', async () => {
    const eventId = `ev-${ulid()}`;
    const res = await send(
      JSON.stringify({ id: eventId, customerId: 'c-1', occurredAt: 'yesterday', extra: 1 }),
    );
    const problem = z
      .object({ errors: z.array(z.object({ path: z.string(), message: z.string() })) })
      .parse(await expectProblem(res, 400));
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['type', 'occurredAt']));
    const huge = await send(eventBody({ id: eventId, data: { n: 1e300, list: [1, 5e-324] } }));
    const hugeProblem = z
      .object({ errors: z.array(z.object({ path: z.string() })) })
      .parse(await expectProblem(huge, 400));
    expect(hugeProblem.errors.map((e) => e.path)).toEqual(['data.n', 'data.list.1']);
    await expectProblem(await send('{not json'), 400);
    expect(await storedEvent(eventId)).toBeUndefined();
  });

  it('an event of an unknown customer is a 422 problem, nothing stored', async () => {
    const eventId = `ev-${ulid()}`;
    const webhookId = ulid();
    await expectProblem(await send(eventBody({ id: eventId, customerId: 'c-404' }), { id: webhookId }), 422);
    expect(await storedEvent(eventId)).toBeUndefined();
    expect(await rows(`WEBHOOK#acme#${webhookId}`)).toEqual([]);
  });

  it('a 300 KiB body is 413, whether or not Content-Length announces it', async () => {
    const big = eventBody({ data: { blob: 'x'.repeat(300 * 1024) } });
    await expectProblem(await send(big), 413);
    await expectProblem(
      await send(big, { headers: { 'content-length': String(Buffer.byteLength(big)) } }),
      413,
    );
  });

  it('a burst beyond 40 requests is throttled with 429 and Retry-After', async () => {
    const results = await Promise.all(
      Array.from({ length: 45 }, () => send(eventBody({ customerId: 'c-404' }))),
    );
    const throttled = results.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(5);
    expect(results.filter((r) => r.status === 422)).toHaveLength(40);
    for (const r of throttled) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await expectProblem(r, 429);
    }
    clock.t += 1000;
    expect((await send(eventBody())).status).toBe(202);
  });
});

describe('fuzz: validly signed arbitrary bodies', () => {
  it('always answers 202 for a valid event of a known customer, else a 4xx problem, and stores only what it accepted', async () => {
    const fuzz = await createTestStore();
    await fuzz.store.documents.putCustomers([customer({ id: 'c-1' }), customer({ id: 'c-2' })]);
    await fuzz.store.partners.addPartner({
      ...newPartner('acme', new Date(START)),
      secrets: [{ secret, createdAt: new Date(START).toISOString() }],
    });
    app = makeApp({ store: fuzz.store });
    const known = new Set(['c-1', 'c-2']);
    const eventish = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('ev-a', 'ev-b', 'ev-c')),
        customerId: fc.constantFrom('c-1', 'c-2', 'c-404', ''),
        type: fc.oneof(fc.string({ maxLength: 8 }), fc.constant('app.login')),
        occurredAt: fc.oneof(
          fc
            .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') })
            .map((d) => d.toISOString()),
          fc.string({ maxLength: 10 }),
        ),
        data: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      eventish.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    const accepted = new Set<string>();
    let receipts = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        clock.t += 1000; // one request a second: under the partner's rate limit
        const res = await send(body);
        expect(busFailures).toEqual([]);
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const parsed = json === undefined ? undefined : eventSchema.safeParse(json);
        const event = parsed?.success ? parsed : undefined;
        if (event?.success && known.has(event.data.customerId)) {
          expect(res.status).toBe(202);
          accepted.add(event.data.id);
          receipts += 1;
        } else {
          await expectProblem(res, event?.success ? 422 : 400);
        }
      }),
      { numRuns: 1000 },
    );
    const on = { client: fuzz.client, tableName: fuzz.tableName };
    expect(new Set((await rows('EVENT#', on)).map((pk) => pk.slice('EVENT#'.length)))).toEqual(accepted);
    expect(await rows('WEBHOOK#', on)).toHaveLength(receipts);
  });
});
