// Every /v1 route that takes an id (in its path, query or a route-level body field), as a request
// built around one id, and the ids an attacker sends: tests throw each id at each route.
import { readFileSync } from 'node:fs';

export interface IdRequest {
  /** Where the id goes, for the test's name and failure messages. */
  name: string;
  method: string;
  path: string;
  body?: string;
  /** The field is an address (email or phone), bounded by MAX_EMAIL_CHARS characters, not an id's bytes. */
  address?: true;
}

const example = (p: string): Record<string, unknown> => {
  const text = readFileSync(new URL(`../../../examples/${p}`, import.meta.url), 'utf8');
  return JSON.parse(p.endsWith('.ndjson') ? (text.split('\n')[0] ?? '') : text);
};
export const exampleCampaign = (): Record<string, unknown> => example('campaigns/contract-renewal.json');
export const exampleCustomer = (): Record<string, unknown> => example('customers.ndjson');
export const exampleContract = (): Record<string, unknown> => example('contracts.ndjson');

/** Ids over DynamoDB's key size in bytes, and over any sane size: the three shapes. */
export const HOSTILE_IDS: Record<string, string> = {
  '1,000 CJK characters (3,000 bytes)': '客'.repeat(1000),
  '300 emoji (1,200 bytes)': '😀'.repeat(300),
  '100,000 characters': 'a'.repeat(100_000),
  '201 ASCII bytes (one over the limit)': 'b'.repeat(201),
  'a carriage return and line feed': 'c-1\r\nx-injected: 1',
  'a bidirectional override': 'c-1\u202egnp.exe',
  'only spaces': '   ',
};

/**
 * The existing things the valid parts of each request name (seeded by the test), so that the
 * hostile id is the only thing wrong with the request.
 */
export const SEEDED = { campaign: 'contract-renewal', customer: 'c-1001', step: 'd-30' } as const;

export function idRequests(id: string): IdRequest[] {
  const p = encodeURIComponent(id);
  const { campaign, customer, step } = SEEDED;
  const json = (v: unknown) => JSON.stringify(v);
  return [
    { name: 'GET customer', method: 'GET', path: `/v1/customers/${p}` },
    {
      name: 'PUT customer',
      method: 'PUT',
      path: `/v1/customers/${p}`,
      body: json({ ...exampleCustomer(), id }),
    },
    { name: 'customer view', method: 'GET', path: `/v1/customers/${p}/view` },
    { name: 'customer export', method: 'GET', path: `/v1/customers/${p}/export` },
    { name: 'erase customer', method: 'DELETE', path: `/v1/customers/${p}` },
    { name: 'GET contract', method: 'GET', path: `/v1/contracts/${p}` },
    {
      name: 'PUT contract',
      method: 'PUT',
      path: `/v1/contracts/${p}`,
      body: json({ ...exampleContract(), id }),
    },
    { name: 'GET campaign', method: 'GET', path: `/v1/campaigns/${p}` },
    {
      name: 'PUT campaign',
      method: 'PUT',
      path: `/v1/campaigns/${p}`,
      body: json({ ...exampleCampaign(), id }),
    },
    { name: 'campaign version', method: 'GET', path: `/v1/campaigns/${p}/versions/1` },
    { name: 'pause', method: 'POST', path: `/v1/campaigns/${p}/pause` },
    { name: 'resume', method: 'POST', path: `/v1/campaigns/${p}/resume` },
    {
      name: 'preview (campaign)',
      method: 'POST',
      path: `/v1/campaigns/${p}/preview`,
      body: json({ customerId: customer }),
    },
    {
      name: 'preview (customerId)',
      method: 'POST',
      path: `/v1/campaigns/${campaign}/preview`,
      body: json({ customerId: id }),
    },
    {
      name: 'test-send (campaign)',
      method: 'POST',
      path: `/v1/campaigns/${p}/test-send`,
      body: json({ stepId: step, channel: 'email', address: 'ops@example.org' }),
    },
    {
      name: 'test-send (stepId)',
      method: 'POST',
      path: `/v1/campaigns/${campaign}/test-send`,
      body: json({ stepId: id, channel: 'email', address: 'ops@example.org' }),
    },
    {
      name: 'test-send (customerId)',
      method: 'POST',
      path: `/v1/campaigns/${campaign}/test-send`,
      body: json({ stepId: step, channel: 'email', address: 'ops@example.org', customerId: id }),
    },
    { name: 'run status', method: 'GET', path: `/v1/runs/${p}` },
    { name: 'run result', method: 'GET', path: `/v1/run-results/${p}` },
    {
      name: 'run now (campaignId)',
      method: 'POST',
      path: '/v1/runs',
      body: json({ date: '2026-11-26', campaignId: id }),
    },
    { name: 'plan (campaign)', method: 'GET', path: `/v1/plan?date=2026-11-26&campaign=${p}` },
    { name: 'import job', method: 'GET', path: `/v1/imports/${p}` },
    { name: 'rotate partner', method: 'POST', path: `/v1/partners/${p}/rotate` },
    { name: 'add partner', method: 'POST', path: '/v1/partners', body: json({ id }) },
    { name: 'unsuppress', method: 'DELETE', path: `/v1/suppressions/${p}`, address: true },
    {
      name: 'suppress',
      method: 'POST',
      path: '/v1/suppressions',
      body: json({ address: id, reason: 'unsubscribed' }),
      address: true,
    },
    { name: 'deliveries (customer)', method: 'GET', path: `/v1/deliveries?customer=${p}` },
    { name: 'deliveries (campaign)', method: 'GET', path: `/v1/deliveries?campaign=${p}` },
    {
      name: 'deliveries (both)',
      method: 'GET',
      path: `/v1/deliveries?campaign=${campaign}&customer=${p}`,
    },
  ];
}

/** Strings an attacker puts wherever a string goes: ids too long in bytes, controls, broken calendars. */
export const HOSTILE_STRINGS: Record<string, string> = {
  ...HOSTILE_IDS,
  NUL: 'c-1\u0000',
  'a next-line (C1) control': 'c-1\u0085x',
  'an isolate override': '\u2066c-1\u2069',
  'instant in year +275760': '+275760-09-13T00:00:00.000Z',
  'instant in year 9999': '9999-01-01T00:00:00Z',
  'date in year 9999': '9999-01-01',
  'date in year 1899': '1899-12-31',
  'instant in year -1': '-000001-01-01T00:00:00Z',
  'date in year 0': '0000-01-01',
  empty: '',
  'a number past any version': '99999999999999999999',
};

const nested = (open: string, inner: string, close: string, n: number) =>
  `${open.repeat(n)}${inner}${close.repeat(n)}`;

/** Raw JSON values an attacker puts wherever a value goes (a body only): they cannot be JSON.stringified. */
export const HOSTILE_RAW: Record<string, string> = {
  'an object nested 20,000 levels': nested('{"a":', '1', '}', 20_000),
  'an array nested 20,000 levels': nested('[', '', ']', 20_000),
  'an object nested 65 levels': nested('{"a":', '1', '}', 65),
  'a __proto__ key': '{"__proto__":{"polluted":true},"k":"v"}',
  'a __proto__ key, nested': '{"k":{"__proto__":{"polluted":true}}}',
  'a 100,000-character key': `{"${'k'.repeat(100_000)}":1}`,
  'a number beyond 2^53': '9007199254740993',
};

/** A /v1 route with one slot for a hostile string in its path or query, and a valid body if it takes one. */
export interface RouteTemplate {
  name: string;
  method: string;
  /** The path with `slot` (already URL-encoded) where the route's id or query value goes. */
  path: (slot: string) => string;
  /** The slot's valid value, used when the body is what is hostile. */
  valid?: string;
  body?: () => unknown;
  contentType?: string;
}

export function routeTemplates(cursors: { customer: string; campaign: string }): RouteTemplate[] {
  const { campaign, customer, step } = SEEDED;
  const campaignDoc = exampleCampaign;
  const release = () => ({
    campaignId: campaign,
    stepId: step,
    customerId: customer,
    channel: 'email',
    occasion: 'k-2001:2026-12-31',
  });
  const sendBody = () => ({
    stepId: step,
    channel: 'email',
    address: 'ops@example.org',
    customerId: customer,
  });
  return [
    { name: 'POST /v1/campaigns', method: 'POST', path: () => '/v1/campaigns', body: campaignDoc },
    { name: 'GET /v1/campaigns', method: 'GET', path: () => '/v1/campaigns' },
    {
      name: 'POST /v1/campaigns/validate',
      method: 'POST',
      path: () => '/v1/campaigns/validate',
      body: campaignDoc,
    },
    { name: 'GET /v1/campaigns/{id}', method: 'GET', path: (s) => `/v1/campaigns/${s}` },
    {
      name: 'PUT /v1/campaigns/{id}',
      valid: campaign,
      method: 'PUT',
      path: (s) => `/v1/campaigns/${s}`,
      body: campaignDoc,
    },
    {
      name: 'GET /v1/campaigns/{id}/versions/{n}',
      method: 'GET',
      path: (s) => `/v1/campaigns/${campaign}/versions/${s}`,
    },
    { name: 'POST /v1/campaigns/{id}/pause', method: 'POST', path: (s) => `/v1/campaigns/${s}/pause` },
    { name: 'POST /v1/campaigns/{id}/resume', method: 'POST', path: (s) => `/v1/campaigns/${s}/resume` },
    {
      name: 'POST /v1/campaigns/{id}/preview',
      valid: campaign,
      method: 'POST',
      path: (s) => `/v1/campaigns/${s}/preview`,
      body: () => ({ customerId: customer }),
    },
    {
      name: 'POST /v1/campaigns/{id}/test-send',
      valid: campaign,
      method: 'POST',
      path: (s) => `/v1/campaigns/${s}/test-send`,
      body: sendBody,
    },
    { name: 'GET /v1/plan', method: 'GET', path: (s) => `/v1/plan?date=${s}&campaign=${campaign}` },
    { name: 'GET /v1/plan (campaign)', method: 'GET', path: (s) => `/v1/plan?date=2026-11-26&campaign=${s}` },
    { name: 'GET /v1/plan (limit)', method: 'GET', path: (s) => `/v1/plan?date=2026-11-26&limit=${s}` },
    { name: 'GET /v1/plan (cursor)', method: 'GET', path: (s) => `/v1/plan?date=2026-11-26&cursor=${s}` },
    {
      name: 'POST /v1/runs',
      method: 'POST',
      path: () => '/v1/runs',
      body: () => ({ date: '2026-11-26', campaignId: campaign }),
    },
    { name: 'GET /v1/runs/{executionId}', method: 'GET', path: (s) => `/v1/runs/${s}` },
    { name: 'GET /v1/run-results/{runId}', method: 'GET', path: (s) => `/v1/run-results/${s}` },
    { name: 'GET /v1/customers/{id}', method: 'GET', path: (s) => `/v1/customers/${s}` },
    {
      name: 'PUT /v1/customers/{id}',
      valid: customer,
      method: 'PUT',
      path: (s) => `/v1/customers/${s}`,
      body: exampleCustomer,
    },
    { name: 'GET /v1/customers/{id}/view', method: 'GET', path: (s) => `/v1/customers/${s}/view` },
    { name: 'GET /v1/customers/{id}/export', method: 'GET', path: (s) => `/v1/customers/${s}/export` },
    { name: 'DELETE /v1/customers/{id}', method: 'DELETE', path: (s) => `/v1/customers/${s}` },
    { name: 'GET /v1/contracts/{id}', method: 'GET', path: (s) => `/v1/contracts/${s}` },
    {
      name: 'PUT /v1/contracts/{id}',
      valid: 'k-2001',
      method: 'PUT',
      path: (s) => `/v1/contracts/${s}`,
      body: exampleContract,
    },
    {
      name: 'POST /v1/customers:import',
      method: 'POST',
      path: () => '/v1/customers:import',
      body: () => [exampleCustomer()],
    },
    {
      name: 'POST /v1/contracts:import',
      method: 'POST',
      path: () => '/v1/contracts:import',
      body: () => [exampleContract()],
    },
    {
      name: 'POST /v1/events:import',
      method: 'POST',
      path: () => '/v1/events:import',
      body: () => [
        {
          id: 'e-1',
          customerId: customer,
          type: 'purchase',
          occurredAt: '2026-11-20T10:00:00Z',
          data: { k: 1 },
        },
      ],
    },
    { name: 'GET /v1/deliveries (customer)', method: 'GET', path: (s) => `/v1/deliveries?customer=${s}` },
    { name: 'GET /v1/deliveries (campaign)', method: 'GET', path: (s) => `/v1/deliveries?campaign=${s}` },
    { name: 'GET /v1/deliveries (limit)', method: 'GET', path: (s) => `/v1/deliveries?limit=${s}` },
    {
      name: 'GET /v1/deliveries (cursor)',
      method: 'GET',
      path: (s) => `/v1/deliveries?customer=${customer}&cursor=${s}`,
    },
    {
      name: 'GET /v1/deliveries (campaign cursor)',
      method: 'GET',
      path: (s) => `/v1/deliveries?campaign=${campaign}&cursor=${s}`,
    },
    {
      name: "GET /v1/deliveries (another query's cursor)",
      method: 'GET',
      path: (s) => `/v1/deliveries?customer=${s}&cursor=${cursors.customer}`,
    },
    {
      name: 'GET /v1/deliveries (unfiltered cursor)',
      method: 'GET',
      path: (s) => `/v1/deliveries?cursor=${s}&limit=1`,
    },
    {
      name: 'POST /v1/deliveries/release',
      method: 'POST',
      path: () => '/v1/deliveries/release',
      body: release,
    },
    { name: 'GET /v1/settings', method: 'GET', path: () => '/v1/settings' },
    {
      name: 'PUT /v1/settings',
      method: 'PUT',
      path: () => '/v1/settings',
      body: () => example('settings.json'),
    },
    { name: 'POST /v1/partners', method: 'POST', path: () => '/v1/partners', body: () => ({ id: 'acme' }) },
    { name: 'GET /v1/partners', method: 'GET', path: () => '/v1/partners' },
    { name: 'POST /v1/partners/{id}/rotate', method: 'POST', path: (s) => `/v1/partners/${s}/rotate` },
    {
      name: 'POST /v1/suppressions',
      method: 'POST',
      path: () => '/v1/suppressions',
      body: () => ({ address: 'someone@example.org', reason: 'unsubscribed' }),
    },
    { name: 'GET /v1/suppressions', method: 'GET', path: () => '/v1/suppressions' },
    { name: 'DELETE /v1/suppressions/{address}', method: 'DELETE', path: (s) => `/v1/suppressions/${s}` },
    {
      name: 'POST /v1/imports',
      method: 'POST',
      path: () => '/v1/imports',
      body: () => ({ kind: 'customers', format: 'ndjson' }),
    },
    { name: 'GET /v1/imports/{importId}', method: 'GET', path: (s) => `/v1/imports/${s}` },
  ];
}
