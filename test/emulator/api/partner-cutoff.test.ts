// A leaked partner secret, cut off at once through the ops API (`partner rotate ID --now`,
// `partner revoke ID` call these routes), as the webhook path answers it: the local API composed as
// `serve` composes it (localApiDeps), partners in DynamoDB Local, the template's bus rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApiDeps } from '../../../local/api-server.js';
import { LocalBus } from '../../../local/local-bus.js';
import { loadTemplate } from '../../../local/synth.js';
import { createApp } from '../../../shared/api/app.js';
import {
  partnerAddedSchema,
  partnerListSchema,
  partnerRevokedSchema,
  partnerRotatedSchema,
} from '../../../shared/usecases/partners/schemas.js';
import { DEFAULT_PARTNER_CACHE } from '../../../shared/usecases/webhooks/partner-cache.js';
import { createTestStore } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

const notRunning = {
  send: async () => ({ ok: false as const, retryable: false, error: 'not in this test' }),
};

let dataDir: string;
let app: ReturnType<typeof createApp>;
let token = '';

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
};

/** The API's clock, moved by the test; webhooks are signed at its time. */
const clock = { t: Date.parse('2026-11-26T12:00:00Z'), now: () => new Date(clock.t) };

/** A webhook signed with `secret` at the clock's time. */
async function webhook(partner: string, secret: string): Promise<number> {
  const body = JSON.stringify({
    id: `ev-${ulid()}`,
    customerId: 'c-1',
    type: 'app.login',
    occurredAt: new Date(clock.t - 60_000).toISOString(),
  });
  const id = ulid();
  const at = clock.now();
  const res = await app.request(`/webhooks/${partner}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
  });
  return res.status;
}

async function added(id: string): Promise<string> {
  const res = await call('POST', '/v1/partners', { id });
  expect(res.status).toBe(201);
  return partnerAddedSchema.parse(res.body).secret;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-partner-cutoff-'));
  const { template } = await loadTemplate();
  const { store } = await createTestStore();
  await store.documents.putCustomers([customer({ id: 'c-1' })]);
  const bus = new LocalBus();
  const deps = {
    store,
    email: notRunning,
    sms: notRunning,
    events: bus,
    clock,
    links: { unsubscribeBaseUrl: 'http://x/', unsubscribeSecret: 's' },
  };
  const apiDeps = localApiDeps({ template, deps, bus, dataDir });
  token = apiDeps.config.opsToken ?? '';
  app = createApp(apiDeps);
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cutting a leaked partner secret off', () => {
  it('a secret rotated with --now is refused at once', async () => {
    const leaked = await added('acme');
    expect(await webhook('acme', leaked)).toBe(202);
    const res = await call('POST', '/v1/partners/acme/rotate?now=true');
    expect(res.status).toBe(200);
    const rotated = partnerRotatedSchema.parse(res.body);
    expect(rotated.previousValidUntil).toBe(rotated.createdAt);
    expect(await webhook('acme', leaked)).toBe(401);
    expect(await webhook('acme', rotated.secret)).toBe(202);
    // Without --now the contract's rollover window still holds.
    const rolled = partnerRotatedSchema.parse((await call('POST', '/v1/partners/acme/rotate')).body);
    expect(Date.parse(rolled.previousValidUntil) - Date.parse(rolled.createdAt)).toBe(24 * 3_600_000);
    expect(await webhook('acme', rotated.secret)).toBe(202);
    expect((await call('POST', '/v1/partners/acme/rotate?now=yes')).status).toBe(400);
  });

  it("a revoked partner's signed webhook gets 401", async () => {
    const first = await added('globex');
    const second = partnerRotatedSchema.parse((await call('POST', '/v1/partners/globex/rotate')).body);
    expect(await webhook('globex', first)).toBe(202);

    const res = await call('POST', '/v1/partners/globex/revoke');
    expect(res.status).toBe(200);
    expect(partnerRevokedSchema.parse(res.body)).toMatchObject({ id: 'globex', validSecrets: 0 });
    expect(await webhook('globex', first)).toBe(401);
    expect(await webhook('globex', second.secret)).toBe(401);
    // The partner stays (listed with no valid secret) and a rotation gives it a new one.
    const { partners } = partnerListSchema.parse((await call('GET', '/v1/partners')).body);
    expect(partners.find((p) => p.id === 'globex')).toMatchObject({ validSecrets: 0 });
    const renewed = partnerRotatedSchema.parse((await call('POST', '/v1/partners/globex/rotate')).body);
    // A new secret is taken once the webhook path's short cache of the revoked partner is stale.
    clock.t += DEFAULT_PARTNER_CACHE.ttlMs;
    expect(await webhook('globex', renewed.secret)).toBe(202);
    expect(await webhook('globex', second.secret)).toBe(401);
    expect((await call('POST', '/v1/partners/nobody/revoke')).status).toBe(404);
  });
});
