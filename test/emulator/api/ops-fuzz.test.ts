// Fuzzing every JSON body of the ops API: arbitrary JSON, raw text, and valid documents with one
// field mutated, removed or added. Whatever the schema refuses must be a 4xx problem response,
// and nothing may be written (store write units), sent or started. Inputs the schema accepts are
// skipped (fc.pre): those are the success paths, tested in ops.test.ts.
//
// Then the shapes an attacker sends, on every /v1 route: ids long in bytes (CJK, emoji, 100,000
// characters), control and bidi characters, instants and dates outside 1900–2100 (+275760, 9999),
// 20,000 nested levels, `__proto__` keys, forged cursors; each in every path and query slot and at
// every shallow body path (exhaustively), then at any body path (randomly). Whatever is refused is
// a 4xx problem that wrote, sent and started nothing; nothing is ever a 5xx.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  calendarDate,
  campaignSchema,
  contractSchema,
  customerSchema,
  settingsSchema,
} from '../../../shared/domain/documents.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { touch } from '../support/fixtures.js';
import {
  exampleCampaign,
  exampleContract,
  exampleCustomer,
  HOSTILE_RAW,
  HOSTILE_STRINGS,
  type RouteTemplate,
  routeTemplates,
  SEEDED,
} from '../support/hostile-inputs.js';
import { change, isRecord, paths } from '../support/json-paths.js';
import { type HostileApp, hostileApp } from '../support/ops-app.js';

const RUNS = 1000;
const TOKEN = 'fuzz-token';
const example = (p: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/${p}`, import.meta.url), 'utf8'));
const firstLine = (p: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/${p}`, import.meta.url), 'utf8').split('\n')[0] ?? '');

let store: DynamoStores;
// The app over DynamoDB Local with counting senders, bus and run starter (test/emulator/support/ops-app.ts).
let fuzzed: HostileApp;

beforeAll(async () => {
  ({ store } = await createTestStore());
  fuzzed = hostileApp(store, TOKEN);
});

/** A body sent as it is (not JSON-encoded): text that may not be JSON at all. */
class RawBody {
  constructor(readonly text: string) {}
}

/** Arbitrary JSON, or a valid document with one thing changed. */
function bodies(valid: unknown): fc.Arbitrary<unknown> {
  const ps = paths(valid);
  const mutated = fc
    .tuple(
      fc.constantFrom(...ps),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: 'set' as const, value })),
        fc.constant({ kind: 'delete' as const }),
        fc.jsonValue({ maxDepth: 1 }).map((value) => ({ kind: 'extra' as const, value })),
      ),
    )
    .map(([p, op]) => change(valid, p, op));
  return fc.oneof(fc.jsonValue({ maxDepth: 3 }), mutated, mutated);
}

interface Endpoint {
  method: string;
  path: string;
  valid: unknown;
  /** True when the body is acceptable (then the case is skipped). */
  accepts: (body: unknown) => boolean;
}

const ok = (schema: z.ZodType) => (b: unknown) => schema.safeParse(b).success;
const allOk = (schema: z.ZodType) => (b: unknown) =>
  Array.isArray(b) && b.every((x) => schema.safeParse(x).success);
const campaign = example('campaigns/contract-renewal.json');
const customer = firstLine('customers.ndjson');
const contract = firstLine('contracts.ndjson');

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/v1/campaigns', valid: campaign, accepts: ok(campaignSchema) },
  { method: 'PUT', path: '/v1/campaigns/contract-renewal', valid: campaign, accepts: () => false },
  { method: 'POST', path: '/v1/campaigns/validate', valid: campaign, accepts: ok(campaignSchema) },
  {
    method: 'POST',
    path: '/v1/campaigns/contract-renewal/preview',
    valid: { customerId: 'c-1' },
    accepts: () => false,
  },
  {
    method: 'POST',
    path: '/v1/campaigns/contract-renewal/test-send',
    valid: { stepId: 'd-30', channel: 'email', address: 'a@example.org' },
    accepts: () => false,
  },
  {
    method: 'POST',
    path: '/v1/runs',
    valid: { date: '2026-11-26' },
    accepts: ok(z.strictObject({ date: calendarDate, campaignId: z.string().optional() })),
  },
  { method: 'PUT', path: '/v1/customers/c-1001', valid: customer, accepts: ok(customerSchema) },
  { method: 'PUT', path: '/v1/contracts/k-2001', valid: contract, accepts: ok(contractSchema) },
  { method: 'PUT', path: '/v1/settings', valid: example('settings.json'), accepts: ok(settingsSchema) },
  { method: 'POST', path: '/v1/customers:import', valid: [customer], accepts: allOk(customerSchema) },
  { method: 'POST', path: '/v1/contracts:import', valid: [contract], accepts: allOk(contractSchema) },
  // No customers exist in this store, so even schema-valid events are refused (unknown customer).
  {
    method: 'POST',
    path: '/v1/events:import',
    valid: [firstLine('events.ndjson')],
    accepts: (b) => Array.isArray(b) && b.length === 0,
  },
];

describe('fuzzing every JSON body: a 4xx problem, nothing written', () => {
  for (const ep of ENDPOINTS) {
    it(`${ep.method} ${ep.path}`, async () => {
      const before = fuzzed.footprint();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 9, arbitrary: bodies(ep.valid) },
            { weight: 1, arbitrary: fc.string().map((t) => new RawBody(t)) },
          ),
          async (input) => {
            const text = input instanceof RawBody ? input.text : JSON.stringify(input);
            fc.pre(!ep.accepts(input instanceof RawBody ? safeParse(text) : input));
            const res = await fuzzed.call(ep.method, ep.path, text);
            expect(res.status, text).toBeGreaterThanOrEqual(400);
            expect(res.status, text).toBeLessThan(500);
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            const problem = await res.json();
            expect(problem).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: res.status,
            });
            expect(fuzzed.footprint()).toEqual(before);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Symbol('not json');
  }
}

// ------------------------------------------------------------------------------------------------
// Hostile shapes on every /v1 route.

const HOSTILE_RUNS = 60;
const MARKER = '\u0000hostile-value\u0000';
type Value = { name: string; text: string; raw: boolean };
const VALUES: Value[] = [
  ...Object.entries(HOSTILE_STRINGS).map(([name, text]) => ({ name, text, raw: false })),
  ...Object.entries(HOSTILE_RAW).map(([name, text]) => ({ name, text, raw: true })),
];
/** Per route: inputs tried, and how many answers of each status. */
const tried = new Map<string, Map<number, number>>();
/** Hostile values a route accepted (2xx), by where they were: for the closing note, to judge each. */
const accepted = new Set<string>();
let hostile: HostileApp;
let routes: RouteTemplate[];
let genuineCursors: string[];

/** The body with `value` at `path` (JSON text, since raw values cannot be stringified). */
function bodyWith(valid: unknown, path: readonly (string | number)[], value: Value): string {
  const text = JSON.stringify(change(valid, path, { kind: 'set', value: MARKER }));
  return text.replace(JSON.stringify(MARKER), () => (value.raw ? value.text : JSON.stringify(value.text)));
}

async function attempt(
  route: RouteTemplate,
  path: string,
  body: string | undefined,
  label = '',
): Promise<void> {
  const before = hostile.footprint();
  const res = await hostile.call(
    route.method,
    path,
    body,
    route.contentType ? { 'content-type': route.contentType } : {},
  );
  const text = await res.text();
  const counts = tried.get(route.name) ?? new Map<number, number>();
  counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
  tried.set(route.name, counts);
  const what = `${route.name} ${path.slice(0, 120)} ${body?.slice(0, 120) ?? ''} -> ${text.slice(0, 200)}`;
  expect(res.status, what).toBeLessThan(500);
  if (res.status < 300 && label) accepted.add(`${route.name}: ${label}`);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), what).toContain('application/problem+json');
    expect(hostile.footprint(), what).toEqual(before);
  }
}

const slotted = (r: RouteTemplate) => r.path('\u0001') !== r.path('\u0002');
/** Paths two levels into the document (an import's array adds one): fields and their entries. */
const shallowPaths = (valid: unknown) =>
  paths(valid).filter((p) => p.length <= (Array.isArray(valid) ? 3 : 2));

/** A cursor as a forger makes one: a genuine one with its key or query digest changed, or noise. */
function forgedCursor(): fc.Arbitrary<string> {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const decode = (c: string): Record<string, unknown> => {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    return isRecord(v) ? v : {};
  };
  const keyValue = fc.oneof(
    fc.string(),
    fc.constantFrom('PARTNER#acme', 'CUSTOMER#c-2', `CUSTOMER#${SEEDED.customer}`, 'TOUCH#x', 'SETTINGS'),
    fc.constantFrom(...Object.values(HOSTILE_STRINGS).filter((s) => s.length < 3000)),
  );
  const lastKey = fc.dictionary(
    fc.constantFrom('pk', 'sk', 'ledgerCampaign', 'ledgerCampaignSk', 'zz'),
    keyValue,
  );
  return fc.oneof(
    fc.tuple(fc.constantFrom(...genuineCursors), lastKey).map(([c, k]) => b64({ ...decode(c), lastKey: k })),
    fc.tuple(fc.constantFrom(...genuineCursors), fc.string()).map(([c, q]) => b64({ ...decode(c), q })),
    fc
      .tuple(fc.constantFrom(...genuineCursors), fc.string())
      .map(([c, id]) => b64({ ...decode(c), campaignId: id })),
    fc.tuple(fc.constantFrom(...genuineCursors), fc.nat()).map(([c, n]) => c.slice(0, n % c.length)),
    fc.jsonValue().map(b64),
    fc.string(),
  );
}

describe('hostile shapes on every /v1 route: never a 5xx, and a refusal writes nothing', () => {
  beforeAll(async () => {
    hostile = hostileApp(store, TOKEN);
    const seeded = [
      await hostile.call('POST', '/v1/campaigns', JSON.stringify(exampleCampaign())),
      await hostile.call('PUT', '/v1/customers/c-1001', JSON.stringify(exampleCustomer())),
      await hostile.call('PUT', '/v1/contracts/k-2001', JSON.stringify(exampleContract())),
      await hostile.call('POST', '/v1/partners', JSON.stringify({ id: 'acme' })),
    ];
    expect(seeded.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (const stepId of ['d-30', 'd-14', 'd-7'])
      await store.ledger.reserve(
        touch({ campaignId: SEEDED.campaign, customerId: SEEDED.customer, stepId }),
        'run-fuzz',
        '2026-11-01T00:00:00Z',
      );
    const cursorOf = async (query: string) => {
      const page = z
        .object({ nextCursor: z.string() })
        .parse(await (await hostile.call('GET', `/v1/deliveries?${query}&limit=1`)).json());
      return page.nextCursor;
    };
    genuineCursors = [
      await cursorOf(`customer=${SEEDED.customer}`),
      await cursorOf(`campaign=${SEEDED.campaign}`),
    ];
    routes = routeTemplates({ customer: genuineCursors[0] ?? '', campaign: genuineCursors[1] ?? '' });
  });

  afterAll(() => {
    const rows = [...tried].map(([route, counts]) => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const byStatus = [...counts]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      return `${String(total).padStart(6)}  ${route.padEnd(44)} ${byStatus}`;
    });
    const all = [...tried.values()].flatMap((c) => [...c]);
    const fivexx = all.filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
    const total = all.reduce((a, [, n]) => a + n, 0);
    if (process.env.FUZZ_REPORT_ACCEPTED) console.log(`accepted:\n${[...accepted].sort().join('\n')}`);
    console.log(
      `hostile inputs tried per route (status×count):\n${rows.join('\n')}\n${total} inputs, ${fivexx} answered 5xx`,
    );
  });

  it('every shape in every path and query slot and at every shallow body path', async () => {
    for (const route of routes) {
      if (slotted(route))
        for (const v of VALUES)
          await attempt(route, route.path(encodeURIComponent(v.text)), undefined, `slot ${v.name}`);
      else if (!route.body) await attempt(route, route.path(''), undefined);
      if (!route.body) continue;
      const valid = route.body();
      const path = route.path(route.valid ?? '');
      for (const p of shallowPaths(valid))
        for (const v of VALUES) await attempt(route, path, bodyWith(valid, p, v), `${p.join('.')} ${v.name}`);
      // A __proto__ key at the top of the document itself.
      const text = JSON.stringify(valid);
      if (text.startsWith('{')) await attempt(route, path, `{"__proto__":{"polluted":true},${text.slice(1)}`);
      for (const v of VALUES.filter((x) => x.raw)) await attempt(route, path, v.text);
    }
  });

  it('any shape at any body path, and forged cursors', async () => {
    const value = fc.oneof(
      fc.constantFrom(...VALUES),
      fc.string().map((text) => ({ name: 'random', text, raw: false })),
      fc.jsonValue({ maxDepth: 3 }).map((v) => ({ name: 'json', text: JSON.stringify(v), raw: true })),
    );
    for (const route of routes.filter((r) => r.body)) {
      const valid = route.body?.();
      const ps = paths(valid);
      if (ps.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ps), value, async (p, v) =>
          attempt(route, route.path(route.valid ?? ''), bodyWith(valid, p, v)),
        ),
        { numRuns: HOSTILE_RUNS },
      );
    }
    for (const route of routes.filter((r) => r.name.includes('cursor')))
      await fc.assert(
        fc.asyncProperty(forgedCursor(), async (c) =>
          attempt(route, route.path(encodeURIComponent(c)), undefined),
        ),
        { numRuns: HOSTILE_RUNS * 4 },
      );
  });
});
