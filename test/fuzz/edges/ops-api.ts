// The ops API's bodies: every POST and PUT /v1 route that takes one (the SMS reply route is its own
// edge), through the Hono app over DynamoDB Local with counting senders, bus and run starter. A case
// is the route's valid body with one value set, removed or added (a JSON value, a hostile string or
// a raw hostile fragment), arbitrary JSON, or text that is not JSON, sometimes under another content
// type or with a hostile path id. A 4xx must be a problem document and must write nothing.
import fc from 'fast-check';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { touch } from '../../emulator/support/fixtures.js';
import {
  exampleCampaign,
  exampleContract,
  exampleCustomer,
  HOSTILE_RAW,
  HOSTILE_STRINGS,
  type RouteTemplate,
  routeTemplates,
  SEEDED,
} from '../../emulator/support/hostile-inputs.js';
import { change, paths } from '../../emulator/support/json-paths.js';
import { type HostileApp, hostileApp } from '../../emulator/support/ops-app.js';
import type { Outcome } from '../harness.js';

const TOKEN = 'fuzz-token';
const MARKER = '\u0000fuzz-marker\u0000';

export interface OpsCase {
  route: string;
  method: string;
  path: string;
  /** Text, or bytes that need not be UTF-8. */
  body: string | Uint8Array;
  contentType: string;
}

/** The body routes: the hostile-input templates that take one, and those they leave out. */
function bodyRoutes(): RouteTemplate[] {
  const extra: RouteTemplate[] = [
    {
      name: 'POST /v1/customers/{id}/consent',
      method: 'POST',
      valid: SEEDED.customer,
      path: (s) => `/v1/customers/${s}/consent`,
      body: () => ({ channel: 'email', topic: 'renewals', value: false, evidence: 'phone call' }),
    },
  ];
  return [...routeTemplates({ customer: '', campaign: '' }).filter((r) => r.body), ...extra];
}

const hostileValue = fc.oneof(
  fc.constantFrom(...Object.values(HOSTILE_STRINGS)).map((t) => JSON.stringify(t)),
  fc.constantFrom(...Object.values(HOSTILE_RAW)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 20 }).map((t) => JSON.stringify(t)),
);

/** One route's cases. */
function casesOf(route: RouteTemplate): fc.Arbitrary<OpsCase> {
  const valid = route.body?.();
  const ps = paths(valid);
  const slot = route.valid ?? '';
  const mutated = fc
    .tuple(
      fc.constantFrom(...(ps.length > 0 ? ps : [[]])),
      fc.constantFrom('set', 'delete', 'extra'),
      hostileValue,
    )
    .map(([p, kind, raw]) => {
      if (kind === 'delete') return JSON.stringify(change(valid, p, { kind: 'delete' }));
      const text = JSON.stringify(change(valid, p, { kind, value: MARKER }));
      return text.replace(JSON.stringify(MARKER), () => raw);
    });
  const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(HOSTILE_RAW)) },
    // Not UTF-8 (a lone continuation byte, an overlong NUL, a BOM of UTF-16), or over the body limit.
    {
      weight: 1,
      arbitrary: fc
        .tuple(mutated, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat())
        .map(([text, bytes, at]) => {
          const utf8 = Buffer.from(text, 'utf8');
          const i = at % (utf8.length + 1);
          return Buffer.concat([
            utf8.subarray(0, i),
            Buffer.from([0xc0, 0x80, 0xff]),
            bytes,
            utf8.subarray(i),
          ]);
        }),
    },
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ pad: 'x'.repeat(600 * 1024) })) },
  );
  const pathSlot = fc.oneof(
    { weight: 6, arbitrary: fc.constant(slot) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(HOSTILE_STRINGS)).map(encodeURIComponent) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        '',
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'application/x-ndjson',
        'application/json; charset=utf-16',
        'multipart/form-data',
      ),
    },
  );
  return fc.record({ body, s: pathSlot, contentType }).map(({ body: b, s, contentType: ct }) => ({
    route: route.name,
    method: route.method,
    path: route.path(s),
    body: b,
    contentType: ct,
  }));
}

export interface OpsEdge {
  cases: fc.Arbitrary<OpsCase>;
  check(c: OpsCase): Promise<Outcome>;
}

/** Seeds what the valid bodies name (a campaign, a customer, a contract, a partner, ledger rows). */
export async function opsEdge(store: DynamoStores): Promise<OpsEdge> {
  const app: HostileApp = hostileApp(store, TOKEN);
  const seeded = [
    await app.call('POST', '/v1/campaigns', JSON.stringify(exampleCampaign())),
    await app.call('PUT', `/v1/customers/${SEEDED.customer}`, JSON.stringify(exampleCustomer())),
    await app.call('PUT', '/v1/contracts/k-2001', JSON.stringify(exampleContract())),
    await app.call('POST', '/v1/partners', JSON.stringify({ id: 'acme' })),
  ];
  const statuses = seeded.map((r) => r.status);
  if (statuses.some((s) => s !== 201))
    throw new Error(`seeding the ops edge answered ${statuses.join(', ')}`);
  await store.ledger.reserve(
    touch({ campaignId: SEEDED.campaign, customerId: SEEDED.customer, stepId: SEEDED.step }),
    'run-fuzz',
    '2026-11-01T00:00:00Z',
  );
  const footprint = () => {
    const f = app.footprint();
    return f.writes + f.effects;
  };
  return {
    cases: fc.oneof(...bodyRoutes().map(casesOf)),
    async check(c) {
      const before = footprint();
      const res = await app.app.request(c.path, {
        method: c.method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': c.contentType },
        body: c.body,
      });
      const text = await res.text();
      const wrote = footprint() - before;
      const problem =
        res.status >= 400 && !(res.headers.get('content-type') ?? '').includes('application/problem+json')
          ? `${c.route} answered ${res.status} without a problem document: ${text.slice(0, 200)}`
          : undefined;
      return { status: res.status, refused: res.status >= 400, wrote, ...(problem && { problem }) };
    },
  };
}
