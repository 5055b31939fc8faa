// The console's reads are in /openapi.json with their response schemas (the console's client is
// written against it), and answer through the in-memory app.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MEMORY_API_TOKEN, memoryApi } from '../../support/fakes/memory-api.js';

const doc = z.object({
  paths: z.record(
    z.string(),
    z.record(z.string(), z.looseObject({ responses: z.record(z.string(), z.unknown()) })),
  ),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
});

describe('the console reads in the OpenAPI document', () => {
  it('lists the four GET routes with their 200 schemas', async () => {
    const { api } = memoryApi();
    const res = await api.request('/openapi.json');
    const openapi = doc.parse(await res.json());
    for (const path of [
      '/v1/calendar',
      '/v1/customers',
      '/v1/campaigns/{id}/versions',
      '/v1/partners/{id}/activity',
    ])
      expect(Object.keys(openapi.paths[path]?.get?.responses ?? {}), path).toEqual(
        expect.arrayContaining(['200', '400']),
      );
    for (const name of ['Calendar', 'CalendarDay', 'CustomerSearch', 'CampaignVersions', 'PartnerActivity'])
      expect(openapi.components.schemas[name], name).toBeDefined();
  });

  it('answers each through the in-memory app', async () => {
    const { api, store } = memoryApi();
    const get = (path: string) =>
      api.request(path, { headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` } });
    expect((await get('/v1/calendar?from=2026-11-26&days=2')).status).toBe(200);
    expect(await (await get('/v1/customers?q=nobody')).json()).toEqual({ customers: [] });
    expect((await get('/v1/campaigns/nope/versions')).status).toBe(404);
    expect((await get('/v1/partners/nope/activity')).status).toBe(404);
    expect((await get('/v1/calendar?days=0')).status).toBe(400);
    expect(store.partnerActivity.refusals.size).toBe(0);
  });
});
