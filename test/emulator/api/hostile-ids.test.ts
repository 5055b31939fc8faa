// Ids DynamoDB cannot key (over 1,024 or 2,048 bytes, whatever their length in characters) reached
// the table from 18 routes and came back as 500 (ValidationException). Every id in a path, a query
// or a route-level body field is now checked by one schema (shared/api/ops/params.ts, built on
// boundedId) and refused with a 400 problem before any read or write.
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_EMAIL_CHARS, MAX_ID_BYTES } from '../../../shared/domain/limits.js';
import { createTestStore } from '../support/ddb.js';
import {
  exampleCampaign,
  exampleContract,
  exampleCustomer,
  HOSTILE_IDS,
  idRequests,
} from '../support/hostile-inputs.js';
import { type HostileApp, hostileApp } from '../support/ops-app.js';

let api: HostileApp;

beforeAll(async () => {
  const { store } = await createTestStore();
  api = hostileApp(store, 'hostile-token');
  const seeded = [
    await api.call('POST', '/v1/campaigns', JSON.stringify(exampleCampaign())),
    await api.call('PUT', '/v1/customers/c-1001', JSON.stringify(exampleCustomer())),
    await api.call('PUT', '/v1/contracts/k-2001', JSON.stringify(exampleContract())),
  ];
  expect(seeded.map((r) => r.status)).toEqual([201, 201, 201]);
});

/** Ids too long in bytes: refused as such, with a 400 naming the field. */
const OVERSIZE = [
  '1,000 CJK characters (3,000 bytes)',
  '300 emoji (1,200 bytes)',
  '100,000 characters',
  '201 ASCII bytes (one over the limit)',
];

describe('hostile ids on every /v1 route that takes one', () => {
  for (const [label, id] of Object.entries(HOSTILE_IDS)) {
    const oversize = OVERSIZE.includes(label);
    it(`answers ${oversize ? '400' : 'a 4xx problem'}, not 500, for an id of ${label} on every route that takes an id, and writes nothing`, async () => {
      const wrong: string[] = [];
      let tried = 0;
      for (const r of idRequests(id)) {
        const before = api.footprint();
        const res = await api.call(r.method, r.path, r.body);
        const body: unknown = await res.json();
        tried++;
        const problem = res.headers.get('content-type')?.includes('application/problem+json');
        // An address is refused for its length above MAX_EMAIL_CHARS, else for not being an address (422).
        const tooLong = r.address ? id.length > MAX_EMAIL_CHARS : oversize;
        const statusOk = tooLong ? res.status === 400 : [400, 404, 422].includes(res.status);
        const wrote = JSON.stringify(api.footprint()) !== JSON.stringify(before);
        if (!problem || !statusOk || wrote)
          wrong.push(
            `${r.name}: ${res.status}${problem ? '' : ' (not a problem)'}${wrote ? ' (wrote)' : ''}`,
          );
        else expect(body).toMatchObject({ status: res.status, type: expect.any(String) });
      }
      expect(wrong).toEqual([]);
      expect(tried).toBeGreaterThanOrEqual(28);
    });
  }

  it(`accepts an id of exactly ${MAX_ID_BYTES} bytes (the limit is not off by one)`, async () => {
    const id = `c-${'é'.repeat((MAX_ID_BYTES - 2) / 2)}`;
    const put = await api.call(
      'PUT',
      `/v1/customers/${encodeURIComponent(id)}`,
      JSON.stringify({ ...exampleCustomer(), id }),
    );
    expect(put.status).toBe(201);
    const get = await api.call('GET', `/v1/customers/${encodeURIComponent(id)}`);
    expect(get.status).toBe(200);
  });
});
