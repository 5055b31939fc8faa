// Fuzzing every JSON body of the ops API: arbitrary JSON, raw text, and valid documents with one
// field mutated, removed or added. Whatever the schema refuses must be a 4xx problem response,
// and nothing may be written (store write units), sent or started. Inputs the schema accepts are
// skipped (fc.pre): those are the success paths, tested in ops.test.ts.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../../shared/api/app.js';
import type { ApiDeps } from '../../../shared/api/deps.js';
import {
  calendarDate,
  campaignSchema,
  contractSchema,
  customerSchema,
  settingsSchema,
} from '../../../shared/domain/documents.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';

const RUNS = 1000;
const TOKEN = 'fuzz-token';
const example = (p: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/${p}`, import.meta.url), 'utf8'));
const firstLine = (p: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../examples/${p}`, import.meta.url), 'utf8').split('\n')[0] ?? '');

let store: DynamoStores;
let app: ReturnType<typeof createApp>;
let effects = 0;

beforeAll(async () => {
  ({ store } = await createTestStore());
  const deps: ApiDeps = {
    store,
    email: {
      send: async () => {
        effects++;
        return { ok: true, providerMessageId: 'e' };
      },
    },
    sms: {
      send: async () => {
        effects++;
        return { ok: true, providerMessageId: 's' };
      },
    },
    events: { publish: async () => void effects++ },
    clock: { now: () => new Date('2026-11-26T08:00:00Z') },
    runs: {
      start: async () => {
        effects++;
        return { executionId: 'x' };
      },
      status: async () => undefined,
    },
    log: { info: () => {}, error: () => {} },
    config: {
      opsToken: TOKEN,
      secretRolloverMs: 1,
      maxBodyBytes: 256 * 1024,
      unsubscribeSecret: 's',
      pseudonymKey: 'p',
    },
  };
  app = createApp(deps);
});

/** Paths to every value inside a JSON document (objects and arrays), the root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (isRecord(value))
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'extra'; value: unknown };
const REMOVED = Symbol('removed');

/** A copy of `value` with the mutation applied at `path`. */
function change(value: unknown, path: readonly (string | number)[], op: Mutation): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    if (op.kind === 'delete') return REMOVED;
    if (op.kind === 'set') return op.value;
    return isRecord(value) ? { ...value, 'zz-extra': op.value } : value;
  }
  if (Array.isArray(value) && typeof head === 'number')
    return value.flatMap((v, i) => {
      if (i !== head) return [v];
      const c = change(v, rest, op);
      return c === REMOVED ? [] : [c];
    });
  if (isRecord(value) && typeof head === 'string') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = k === head ? change(v, rest, op) : v;
      if (c !== REMOVED) out[k] = c;
    }
    return out;
  }
  return value;
}

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
      const before = { writes: store.capacity.write, effects };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 9, arbitrary: bodies(ep.valid) },
            { weight: 1, arbitrary: fc.string().map((t) => new RawBody(t)) },
          ),
          async (input) => {
            const text = input instanceof RawBody ? input.text : JSON.stringify(input);
            fc.pre(!ep.accepts(input instanceof RawBody ? safeParse(text) : input));
            const res = await app.request(ep.path, {
              method: ep.method,
              headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
              body: text,
            });
            expect(res.status, text).toBeGreaterThanOrEqual(400);
            expect(res.status, text).toBeLessThan(500);
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            const problem = await res.json();
            expect(problem).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: res.status,
            });
            expect(store.capacity.write).toBe(before.writes);
            expect(effects).toBe(before.effects);
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
