// The API routes of partners, the suppression list and the customer view, through the Hono app
// against DynamoDB Local: what the CLI (embedded or --api) relies on, and their problem answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../../shared/api/app.js';
import type { ApiDeps } from '../../../shared/api/deps.js';
import { customerViewSchema } from '../../../shared/usecases/customers/schemas.js';
import {
  partnerAddedSchema,
  partnerListSchema,
  partnerRotatedSchema,
} from '../../../shared/usecases/partners/schemas.js';
import {
  suppressionEntrySchema,
  suppressionListSchema,
  suppressionRemovedSchema,
} from '../../../shared/usecases/suppression/schemas.js';
import { createTestStore } from '../support/ddb.js';
import { opsTestConfig } from '../support/fixtures.js';

const TOKEN = 'dev-token-people';
const NOW = new Date('2026-11-26T08:00:00Z');
const problem = z.looseObject({ type: z.string(), title: z.string(), status: z.number() });
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  const { store } = await createTestStore();
  const unused = { send: async () => ({ ok: false as const, retryable: false, error: 'not in this test' }) };
  const deps: ApiDeps = {
    store,
    email: unused,
    sms: unused,
    events: { publish: async () => {} },
    clock: { now: () => NOW },
    runs: { start: async () => ({ executionId: 'x' }), status: async () => undefined },
    log: { info: () => {}, error: () => {} },
    config: opsTestConfig(TOKEN),
  };
  app = createApp(deps);
  await store.settings.putSettings({
    tiers: [
      { id: 'key', minMonthlyValue: 500 },
      { id: 'standard', minMonthlyValue: 0 },
    ],
    feb29: 'feb28',
  });
  await store.documents.putCustomers([
    {
      id: 'c-1',
      name: 'Ada Example',
      email: 'ada@example.com',
      locale: 'en-US',
      timeZone: 'UTC',
      monthlyValue: 600,
      consent: { email: true, sms: false },
    },
  ]);
  await store.documents.putContracts([
    {
      id: 'k-1',
      customerId: 'c-1',
      product: 'p',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      status: 'active',
    },
  ]);
});

const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
  const res = await app.request(path, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe('/v1/partners', () => {
  it('adds a partner with its secret shown once, refuses a second add, rotates, and lists no secret', async () => {
    const added = await call('POST', '/v1/partners', { id: 'acme' });
    expect(added.status).toBe(201);
    const { secret } = partnerAddedSchema.parse(added.body);
    expect(secret).toMatch(/^whsec_/);
    expect(problem.parse((await call('POST', '/v1/partners', { id: 'acme' })).body).status).toBe(409);

    const rotated = await call('POST', '/v1/partners/acme/rotate');
    expect(rotated.status).toBe(200);
    const next = partnerRotatedSchema.parse(rotated.body);
    expect(next.secret).not.toBe(secret);
    expect(next.previousValidUntil).toBe(new Date(NOW.getTime() + 86_400_000).toISOString());
    expect((await call('POST', '/v1/partners/nobody/rotate')).status).toBe(404);

    const listed = await call('GET', '/v1/partners');
    expect(partnerListSchema.parse(listed.body).partners).toEqual([
      expect.objectContaining({ id: 'acme', validSecrets: 2 }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('refuses an id that is not a partner id, and any call without the token', async () => {
    expect(problem.parse((await call('POST', '/v1/partners', { id: 'Not An Id!' })).body).status).toBe(400);
    expect((await call('GET', '/v1/partners', undefined, null)).status).toBe(403);
  });
});

describe('/v1/suppressions', () => {
  it('normalizes what it adds, lists it, removes it once', async () => {
    const added = await call('POST', '/v1/suppressions', {
      address: '  Li.Wei@Example.COM ',
      reason: 'unsubscribed',
    });
    expect(added.status).toBe(200);
    expect(suppressionEntrySchema.parse(added.body)).toMatchObject({
      address: 'li.wei@example.com',
      source: 'manual',
    });
    expect(
      suppressionListSchema
        .parse((await call('GET', '/v1/suppressions')).body)
        .suppressions.map((s) => s.address),
    ).toEqual(['li.wei@example.com']);
    const path = `/v1/suppressions/${encodeURIComponent('LI.WEI@example.com')}`;
    expect(suppressionRemovedSchema.parse((await call('DELETE', path)).body)).toEqual({
      address: 'li.wei@example.com',
      removed: true,
    });
    expect(suppressionRemovedSchema.parse((await call('DELETE', path)).body).removed).toBe(false);
  });

  it('answers 422 for what is neither an email address nor a valid phone number, storing nothing', async () => {
    const refused = await call('POST', '/v1/suppressions', { address: '+1 555', reason: 'bounced' });
    expect(problem.parse(refused.body).status).toBe(422);
    expect(suppressionListSchema.parse((await call('GET', '/v1/suppressions')).body).suppressions).toEqual(
      [],
    );
  });
});

describe('/v1/customers/{id}/view', () => {
  it('shows the customer with tier, contracts and current consent; 404 for an unknown id', async () => {
    const view = customerViewSchema.parse((await call('GET', '/v1/customers/c-1/view')).body);
    expect(view).toMatchObject({
      tier: 'key',
      contracts: [expect.objectContaining({ id: 'k-1' })],
      consent: { email: true, sms: false },
      touches: [],
    });
    expect(problem.parse((await call('GET', '/v1/customers/c-404/view')).body).status).toBe(404);
  });
});
