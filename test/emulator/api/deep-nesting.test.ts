// 20,000 nested levels crashed validation: /v1 answered 500 (the document walk overflowed the
// stack) and the CLI printed "Maximum call stack size exceeded" (it re-serialized the file to send
// it). A JSON body or file nested deeper than MAX_JSON_DEPTH is now refused from its text before
// anything parses or walks it (shared/domain/json-nesting.ts): a 400 problem from /v1, a refusal
// with exit 1 from the CLI; an NDJSON import line is refused with its line number (422).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../shared/domain/limits.js';
import { cli } from '../cli/cli.js';
import { createTestStore } from '../support/ddb.js';
import { exampleCampaign, exampleContract, exampleCustomer } from '../support/hostile-inputs.js';
import { type HostileApp, hostileApp, listen } from '../support/ops-app.js';

const TOKEN = 'deep-token';
const LEVELS = 20_000;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
/** A valid document with `deep` as the value of `field`. */
const withField = (doc: Record<string, unknown>, field: string, deep: string) =>
  JSON.stringify({ ...doc, [field]: 0 }).replace(`"${field}":0`, `"${field}":${deep}`);
const event = { id: 'e-deep', customerId: 'c-1001', type: 'purchase', occurredAt: '2026-11-20T10:00:00Z' };

let api: HostileApp;
let work: string;

beforeAll(async () => {
  const { store } = await createTestStore();
  api = hostileApp(store, TOKEN);
  expect((await api.call('PUT', '/v1/customers/c-1001', JSON.stringify(exampleCustomer()))).status).toBe(201);
  work = mkdtempSync(join(tmpdir(), 'tp-deep-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every /v1 route that takes a JSON body, with the bodies a hostile client nests. */
function deepBodies(): { route: string; method: string; path: string; body: string }[] {
  const bodies = (method: string, path: string, own: string[] = []) =>
    [deepObject(LEVELS), deepArray(LEVELS), ...own].map((body) => ({
      route: `${method} ${path}`,
      method,
      path,
      body,
    }));
  const campaign = exampleCampaign();
  return [
    ...bodies('POST', '/v1/campaigns', [withField(campaign, 'zz', deepObject(LEVELS))]),
    ...bodies('POST', '/v1/campaigns/validate', [withField(campaign, 'name', deepArray(LEVELS))]),
    ...bodies('PUT', '/v1/campaigns/contract-renewal', [withField(campaign, 'steps', deepArray(LEVELS))]),
    ...bodies('POST', '/v1/campaigns/contract-renewal/preview', [
      withField({}, 'customerId', deepArray(LEVELS)),
    ]),
    ...bodies('POST', '/v1/campaigns/contract-renewal/test-send'),
    ...bodies('POST', '/v1/runs'),
    ...bodies('PUT', '/v1/customers/c-1001', [
      withField(exampleCustomer(), 'attributes', `{"k":${deepObject(LEVELS)}}`),
    ]),
    ...bodies('PUT', '/v1/contracts/k-2001', [withField(exampleContract(), 'product', deepObject(LEVELS))]),
    ...bodies('PUT', '/v1/settings', [withField({ tiers: [] }, 'feb29', deepObject(LEVELS))]),
    ...bodies('POST', '/v1/customers:import', [
      `[${withField(exampleCustomer(), 'attributes', deepObject(LEVELS))}]`,
    ]),
    ...bodies('POST', '/v1/contracts:import'),
    ...bodies('POST', '/v1/events:import', [`[${withField(event, 'data', `{"k":${deepObject(LEVELS)}}`)}]`]),
    ...bodies('POST', '/v1/suppressions'),
    ...bodies('POST', '/v1/partners'),
    ...bodies('POST', '/v1/imports'),
    ...bodies('POST', '/v1/deliveries/release'),
  ];
}

describe('deeply nested JSON', () => {
  it(`answers 400, not 500, for a body nested ${LEVELS.toLocaleString('en')} levels on every /v1 route that takes a body, and writes nothing`, async () => {
    const wrong: string[] = [];
    const cases = deepBodies();
    for (const c of cases) {
      const before = api.footprint();
      const res = await api.call(c.method, c.path, c.body);
      const body = await res.text();
      const problem = res.headers.get('content-type')?.includes('application/problem+json');
      if (res.status !== 400 || !problem || JSON.stringify(api.footprint()) !== JSON.stringify(before))
        wrong.push(`${c.route}: ${res.status} ${body.slice(0, 160)}`);
      else
        expect(JSON.parse(body)).toMatchObject({
          errors: [{ path: '', message: `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects` }],
        });
    }
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it('accepts a body exactly as deep as the limit allows through to the schema (which names the path)', async () => {
    const res = await api.call(
      'POST',
      '/v1/events:import',
      `[${withField(event, 'data', `{"k":${deepObject(MAX_JSON_DEPTH - 3)}}`)}]`,
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [{ line: 1, path: expect.stringMatching(/^data\.k\.a/) }],
    });
  });

  it(`refuses an NDJSON import line nested ${LEVELS.toLocaleString('en')} levels with its line number (422), not 500`, async () => {
    const before = api.footprint();
    const lines = [
      JSON.stringify({ ...event, id: 'e-ok' }),
      withField(event, 'data', `{"k":${deepObject(LEVELS)}}`),
    ];
    const res = await api.call('POST', '/v1/events:import', lines.join('\n'), {
      'content-type': 'application/x-ndjson',
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: [{ line: 2, path: expect.stringMatching(/^data\./) }] });
    expect(api.footprint()).toEqual(before);
  });

  it(`prints a refusal and exits 1 for a file nested ${LEVELS.toLocaleString('en')} levels (campaign apply, campaign validate, settings apply), not "Maximum call stack size exceeded"`, async () => {
    const server = await listen(api.app);
    try {
      const file = join(work, 'deep.json');
      writeFileSync(file, withField(exampleCampaign(), 'zz', deepObject(LEVELS)));
      for (const args of [
        ['campaign', 'apply', file],
        ['campaign', 'validate', file],
        ['settings', 'apply', file],
      ]) {
        const before = api.footprint();
        const run = (json: string[]) =>
          cli([...args, '--api', server.url, '--token', TOKEN, ...json], { dataDir: join(work, 'data') });
        const text = await run([]);
        expect(text.code, text.stderr).toBe(1);
        expect(text.stderr).not.toContain('Maximum call stack');
        expect(text.stderr).toContain(`line 1: (document): nests deeper than ${MAX_JSON_DEPTH} levels`);
        const asJson = await run(['--json']);
        expect(asJson.code).toBe(1);
        expect(JSON.parse(asJson.stdout)).toMatchObject({
          ok: false,
          errors: [{ line: 1, path: '', message: expect.stringContaining('nests deeper than') }],
        });
        expect(api.footprint()).toEqual(before);
      }
    } finally {
      await server.close();
    }
  });
});
