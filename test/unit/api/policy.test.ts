// The role table covers every ops route the app registers, and the API enforces it: a role below
// the route's is a 403 problem naming the role needed, kept in the audit log with nothing changed;
// a change that succeeds is audited without its body; a failed audit write never fails the change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiPath, pathParams, policyKey, ROUTE_POLICY } from '../../../shared/api/policy.js';
import { MEMORY_API_TOKEN, memoryApi } from '../../support/fakes/memory-api.js';

/** Every /v1 route the app serves: the OpenAPI registry and the router's own list (handlers only). */
function registeredRoutes(): Set<string> {
  const { api } = memoryApi();
  const keys = new Set<string>();
  for (const d of api.openAPIRegistry.definitions)
    if (d.type === 'route' && d.route.path.startsWith('/v1/'))
      keys.add(policyKey(d.route.method, d.route.path));
  for (const r of api.routes)
    if (r.method !== 'ALL' && r.path.startsWith('/v1/')) keys.add(policyKey(r.method, openApiPath(r.path)));
  return keys;
}

const claims = (groups: string, sub = 'u-1', email = 'ann@example.com') => ({
  requestContext: { authorizer: { claims: { sub, email, 'cognito:groups': groups } } },
});

const campaign = readFileSync(new URL('../../../examples/campaigns/birthday.json', import.meta.url), 'utf8');

describe('the role table', () => {
  it('has an entry for every /v1 route the app registers (a new route must say who may call it)', () => {
    const routes = registeredRoutes();
    expect(routes.size).toBeGreaterThan(40);
    const missing = [...routes].filter((k) => !Object.hasOwn(ROUTE_POLICY, k));
    expect(missing).toEqual([]);
  });

  it('lists no route the app does not register (a renamed route leaves no stale entry)', () => {
    const routes = registeredRoutes();
    expect(Object.keys(ROUTE_POLICY).filter((k) => !routes.has(k))).toEqual([]);
  });

  it('gives the issue’s rules: erase, partners, settings, unsuppress, release are admin; export is editor; dry runs are reads', () => {
    for (const k of [
      'DELETE /v1/customers/{id}',
      'POST /v1/partners',
      'POST /v1/partners/{id}/rotate',
      'POST /v1/partners/{id}/revoke',
      'PUT /v1/settings',
      'DELETE /v1/suppressions/{address}',
      'POST /v1/deliveries/release',
    ])
      expect(ROUTE_POLICY[k], k).toMatchObject({ role: 'admin', audit: true });
    for (const k of [
      'POST /v1/campaigns',
      'POST /v1/campaigns/{id}/pause',
      'POST /v1/campaigns/{id}/resume',
      'POST /v1/runs',
      'POST /v1/campaigns/{id}/test-send',
      'POST /v1/customers:import',
      'GET /v1/customers/{id}/export',
    ])
      expect(ROUTE_POLICY[k], k).toMatchObject({ role: 'editor', audit: true });
    for (const k of ['GET /v1/plan', 'POST /v1/campaigns/validate', 'POST /v1/campaigns/{id}/preview'])
      expect(ROUTE_POLICY[k], k).toEqual({ role: 'viewer', audit: false });
    for (const [k, p] of Object.entries(ROUTE_POLICY))
      if (k.startsWith('GET ') && k !== 'GET /v1/customers/{id}/export') expect(p.role, k).toBe('viewer');
  });

  it('reads a template’s parameters out of a path, and Hono’s :param form as the table’s {param}', () => {
    expect(openApiPath('/v1/campaigns/:id/versions/:n')).toBe('/v1/campaigns/{id}/versions/{n}');
    expect(openApiPath('/v1/customers:import')).toBe('/v1/customers:import');
    expect(pathParams('/v1/campaigns/{id}/versions/{n}', '/v1/campaigns/w/versions/2')).toEqual(['w', '2']);
    expect(pathParams('/v1/campaigns/{id}', '/v1/partners/x')).toBeUndefined();
  });
});

describe('the API enforces it', () => {
  it('a viewer may list campaigns but not apply one: 403 naming the role needed, nothing stored, the refusal audited', async () => {
    const { api, store } = memoryApi();
    const list = await api.request('/v1/campaigns', {}, claims('viewer'));
    expect(list.status).toBe(200);
    const res = await api.request(
      '/v1/campaigns',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: campaign },
      claims('viewer'),
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      type: 'https://touchpoint.dev/problems/forbidden',
      status: 403,
      detail: 'viewer may not POST /v1/campaigns; it needs editor.',
    });
    expect(await store.campaigns.listCampaigns()).toEqual([]);
    expect(store.audit.entries).toEqual([
      expect.objectContaining({
        actor: { subject: 'u-1', name: 'ann@example.com', role: 'viewer', via: 'cognito' },
        method: 'POST',
        path: '/v1/campaigns',
        route: '/v1/campaigns',
        status: 403,
        outcome: 'denied',
      }),
    ]);
  });

  it('an editor applies; the entry names who, what, when and the target, and holds no body', async () => {
    const { api, store } = memoryApi();
    const res = await api.request(
      '/console/v1/campaigns/welcome/pause',
      { method: 'POST' },
      claims('[viewer editor]'),
    );
    // No such campaign: a 404 is not a change, so nothing is audited.
    expect(res.status).toBe(404);
    expect(store.audit.entries).toEqual([]);
    const applied = await api.request(
      '/console/v1/campaigns',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: campaign },
      claims('[viewer editor]'),
    );
    expect(applied.status).toBeLessThan(300);
    const [entry] = store.audit.entries;
    expect(entry).toMatchObject({
      at: '2026-11-26T09:00:00.000Z',
      actor: { role: 'editor', via: 'cognito' },
      method: 'POST',
      route: '/v1/campaigns',
      outcome: 'ok',
    });
    expect(JSON.stringify(entry)).not.toContain('birthday, ');
    expect(entry).not.toHaveProperty('body');
  });

  it('keeps customer ids and addresses out of the log: the erasure pseudonym stands in for them', async () => {
    const { call, store } = memoryApi();
    const res = await call('DELETE', '/v1/suppressions/ann%40example.com', '');
    expect(res.status).toBe(200);
    const [entry] = store.audit.entries;
    expect(entry?.target).toMatch(/^anon-[A-Za-z0-9_-]{22}$/);
    expect(entry?.path).toBe(`/v1/suppressions/${entry?.target}`);
    expect(JSON.stringify(entry)).not.toMatch(/ann|example/);
  });

  it('a failed audit write leaves the change done and answered (logged, not a 500)', async () => {
    const { call, store } = memoryApi();
    store.audit.failing = true;
    const res = await call(
      'POST',
      '/v1/suppressions',
      JSON.stringify({ address: 'bob@example.com', reason: 'bounced' }),
    );
    expect(res.status).toBe(200);
    expect((await store.suppression.listSuppressions()).map((s) => s.address)).toEqual(['bob@example.com']);
  });

  it('only an admin erases; the development token is an admin', async () => {
    const { api } = memoryApi();
    const editor = await api.request('/v1/customers/c-1', { method: 'DELETE' }, claims('editor'));
    expect(editor.status).toBe(403);
    expect(await editor.json()).toMatchObject({
      detail: 'editor may not DELETE /v1/customers/{id}; it needs admin.',
    });
    const admin = await api.request('/v1/customers/c-1', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` },
    });
    expect(admin.status).toBe(404);
  });

  it('GET /v1/me answers who the API takes the caller for', async () => {
    const { api } = memoryApi();
    const me = await api.request('/console/v1/me', {}, claims('admin', 'u-9', 'root@example.com'));
    expect(await me.json()).toEqual({
      subject: 'u-9',
      name: 'root@example.com',
      role: 'admin',
      via: 'cognito',
    });
    const dev = await api.request('/v1/me', { headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` } });
    expect(await dev.json()).toEqual({
      subject: 'local-developer',
      name: 'local developer',
      role: 'admin',
      via: 'token',
    });
  });

  it('a signed-in user in no group is refused with a 403 problem', async () => {
    const { api } = memoryApi();
    const res = await api.request('/v1/me', {}, claims('marketing'));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: 'https://touchpoint.dev/problems/forbidden' });
  });
});
