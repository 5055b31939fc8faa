// The console's door through the local edge, read from the synthesized template (/console/v1 behind
// a Cognito user pools authorizer), over DynamoDB Local: local users' ID tokens carry their role;
// the API enforces it (403 problem, nothing stored) and keeps who did what in the audit log; a
// removed user's token, a token signed with another key and no token at all are 401, as API
// Gateway's Cognito authorizer answers; /v1 takes no console token.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFetch, localApiDeps, localApiFetch } from '../../../local/api-server.js';
import type { CfnTemplate } from '../../../local/assembly-tables.js';
import {
  addConsoleUser,
  issueConsoleToken,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  listConsoleUsers,
  localConsoleTokens,
  removeConsoleUser,
} from '../../../local/console-users.js';
import { auditPageSchema } from '../../../shared/usecases/audit/schemas.js';
import { webhookTestBed } from '../support/webhooks.js';

const bed = webhookTestBed();
let edge: ApiFetch;
let dataDir: string;
let devToken: string;
let template: CfnTemplate;
const tokens: Record<'viewer' | 'editor' | 'admin', string> = { viewer: '', editor: '', admin: '' };

const campaign = readFileSync(new URL('../../../examples/campaigns/birthday.json', import.meta.url), 'utf8');

beforeAll(async () => {
  await bed.setup();
  dataDir = mkdtempSync(join(tmpdir(), 'tp-console-auth-'));
  template = bed.template;
  const apiDeps = localApiDeps({ ...bed.composed(), dataDir });
  devToken = apiDeps.config.opsToken ?? '';
  edge = localApiFetch(
    template,
    apiDeps,
    localConsoleTokens(dataDir, () => bed.clock.now()),
  );
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    addConsoleUser(dataDir, `${role}@example.com`, role);
    tokens[role] = await issueConsoleToken(dataDir, `${role}@example.com`, bed.clock.now());
  }
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const call = (method: string, path: string, token: string | undefined, body?: string) =>
  edge(
    new Request(`http://127.0.0.1${path}`, {
      method,
      headers: {
        ...(token !== undefined && { authorization: token }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body }),
    }),
  );

/** What the template declares API Gateway answers for a response type, read from the template. */
function declared(type: string, path: string): { status: number; body: unknown } {
  const r = Object.values(template.Resources).find(
    (x) => x.Type === 'AWS::ApiGateway::GatewayResponse' && x.Properties?.ResponseType === type,
  );
  const text = String(Reflect.get(Object(r?.Properties?.ResponseTemplates), 'application/json'));
  return { status: Number(r?.Properties?.StatusCode), body: JSON.parse(text.replace('$context.path', path)) };
}

describe('roles on /console/v1', () => {
  it('a viewer reads campaigns, but POST is 403 problem naming the role needed, and nothing is stored', async () => {
    expect((await call('GET', '/console/v1/campaigns', tokens.viewer)).status).toBe(200);
    const res = await call('POST', '/console/v1/campaigns', tokens.viewer, campaign);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      type: 'https://touchpoint.dev/problems/forbidden',
      status: 403,
      detail: 'viewer may not POST /v1/campaigns; it needs editor.',
      instance: '/console/v1/campaigns',
    });
    expect(await bed.store.campaigns.listCampaigns()).toEqual([]);
  });

  it('an editor applies a campaign (the raw token and a Bearer token alike)', async () => {
    const res = await call('POST', '/console/v1/campaigns', `Bearer ${tokens.editor}`, campaign);
    expect(res.status).toBeLessThan(300);
    expect((await bed.store.campaigns.listCampaigns()).map((c) => c.campaign.id)).toEqual(['birthday']);
    const me = await call('GET', '/console/v1/me', tokens.editor);
    expect(await me.json()).toMatchObject({ name: 'editor@example.com', role: 'editor', via: 'cognito' });
  });

  it('only an admin erases a customer or adds a partner', async () => {
    const refused = await call('DELETE', '/console/v1/customers/c-1', tokens.editor);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      detail: 'editor may not DELETE /v1/customers/{id}; it needs admin.',
    });
    expect(await bed.store.customers.getCustomer('c-1')).toBeDefined();
    const partner = JSON.stringify({ id: 'globex' });
    expect((await call('POST', '/console/v1/partners', tokens.editor, partner)).status).toBe(403);
    expect((await call('DELETE', '/console/v1/customers/c-1', tokens.admin)).status).toBe(200);
    expect(await bed.store.customers.getCustomer('c-1')).toBeUndefined();
    expect((await call('POST', '/console/v1/partners', tokens.admin, partner)).status).toBe(201);
  });

  it('the development token is an admin on the console path too', async () => {
    const res = await call('GET', '/console/v1/me', devToken);
    expect(await res.json()).toEqual({
      subject: 'local-developer',
      name: 'local developer',
      role: 'admin',
      via: 'token',
    });
  });
});

describe('tokens the authorizer refuses: 401 as the template declares', () => {
  it('no token', async () => {
    const res = await call('GET', '/console/v1/campaigns', undefined);
    const expected = declared('UNAUTHORIZED', '/console/v1/campaigns');
    expect(res.status).toBe(401);
    expect(expected.status).toBe(401);
    expect(await res.json()).toEqual(expected.body);
  });

  it('a token signed with another key, with every claim right', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    expect((await exportJWK(privateKey)).kty).toBe('EC');
    const [viewer] = listConsoleUsers(dataDir).filter((u) => u.role === 'viewer');
    const now = Math.floor(bed.clock.now().getTime() / 1000);
    const forged = await new SignJWT({ email: viewer?.email, 'cognito:groups': ['admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(viewer?.sub ?? '')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    expect((await call('GET', '/console/v1/me', forged)).status).toBe(401);
  });

  it('a removed user’s token stops working at once; so does one whose role was changed', async () => {
    addConsoleUser(dataDir, 'gone@example.com', 'editor');
    const token = await issueConsoleToken(dataDir, 'gone@example.com', bed.clock.now());
    expect((await call('GET', '/console/v1/me', token)).status).toBe(200);
    expect(removeConsoleUser(dataDir, 'gone@example.com')).toBe(true);
    expect((await call('GET', '/console/v1/me', token)).status).toBe(401);

    addConsoleUser(dataDir, 'demoted@example.com', 'admin');
    const before = await issueConsoleToken(dataDir, 'demoted@example.com', bed.clock.now());
    addConsoleUser(dataDir, 'demoted@example.com', 'viewer');
    expect((await call('GET', '/console/v1/me', before)).status).toBe(401);
  });

  it('an expired token (12 h after it was issued)', async () => {
    const token = await issueConsoleToken(
      dataDir,
      'viewer@example.com',
      new Date(bed.clock.now().getTime() - 13 * 3600_000),
    );
    expect((await call('GET', '/console/v1/me', token)).status).toBe(401);
  });

  it('/v1 answers to IAM (the development token locally) only: a console token there is 403', async () => {
    const res = await call('GET', '/v1/campaigns', `Bearer ${tokens.admin}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(declared('INVALID_SIGNATURE', '/v1/campaigns').body);
  });
});

describe('the audit log', () => {
  it('lists the apply (who, what, when) and the refused attempt, newest first; no body, no customer id', async () => {
    const res = await call('GET', '/console/v1/audit?limit=50', tokens.viewer);
    expect(res.status).toBe(200);
    const { entries } = auditPageSchema.parse(await res.json());
    const apply = entries.find(
      (e) => e.method === 'POST' && e.route === '/v1/campaigns' && e.outcome === 'ok',
    );
    expect(apply).toMatchObject({
      at: bed.clock.now().toISOString(),
      actor: { name: 'editor@example.com', role: 'editor', via: 'cognito' },
      path: '/v1/campaigns',
      status: 201,
    });
    const denied = entries.find(
      (e) => e.method === 'POST' && e.route === '/v1/campaigns' && e.outcome === 'denied',
    );
    expect(denied).toMatchObject({ actor: { name: 'viewer@example.com', role: 'viewer' }, status: 403 });
    const erase = entries.find((e) => e.method === 'DELETE' && e.outcome === 'ok');
    expect(erase?.target).toMatch(/^anon-/);
    // This file's own entries: the emulator tier's other files share the table and its fixed clock.
    const ours = JSON.stringify(entries.filter((e) => e.actor.name.endsWith('@example.com')));
    expect(ours).not.toContain('c-1');
    expect(ours).not.toContain('Happy birthday');
    // Reads are not audited.
    expect(entries.some((e) => e.method === 'GET')).toBe(false);
  });

  it('pages with an opaque cursor, newest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const q = cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = auditPageSchema.parse(
        await (await call('GET', `/console/v1/audit?limit=2${q}`, tokens.viewer)).json(),
      );
      seen.push(...page.entries.map((e) => `${e.at} ${e.method} ${e.path} ${e.outcome} ${e.actor.subject}`));
      cursor = page.cursor;
      pages++;
    } while (cursor !== undefined && pages < 50);
    const all = auditPageSchema.parse(
      await (await call('GET', '/console/v1/audit?limit=200', tokens.viewer)).json(),
    );
    expect(seen).toEqual(
      all.entries.map((e) => `${e.at} ${e.method} ${e.path} ${e.outcome} ${e.actor.subject}`),
    );
    expect(all.entries.length).toBeGreaterThanOrEqual(5);
    const bad = await call('GET', '/console/v1/audit?cursor=bm90LW91cnM', tokens.viewer);
    expect(bad.status).toBe(400);
  });
});
