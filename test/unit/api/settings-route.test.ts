// PUT /v1/settings over in-memory stores: the route and `touchpoint settings apply` (its client)
// replace the settings through one schema and one use case.
import { describe, expect, it } from 'vitest';
import { memoryApi } from '../../support/fakes/memory-api.js';

function app() {
  const { store, call } = memoryApi();
  const put = (body: unknown) => call('PUT', '/v1/settings', JSON.stringify(body));
  return { store, put };
}

describe('PUT /v1/settings', () => {
  it('refuses {} with a 400 problem naming tiers, instead of silently resetting the settings to defaults', async () => {
    const { store, put } = app();
    const mine = {
      tiers: [
        { id: 'gold', minMonthlyValue: 1000 },
        { id: 'rest', minMonthlyValue: 0 },
      ],
      feb29: 'mar1',
      activityEventTypes: ['login'],
    };
    expect((await put(mine)).status).toBe(200);

    const refused = await put({});
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body: unknown = await refused.json();
    expect(body).toMatchObject({ errors: [{ path: 'tiers' }] });
    expect(await store.settings.getSettings()).toEqual(mine);
  });

  it('fills optional fields with the contract defaults, as settings apply does', async () => {
    const { store, put } = app();
    const res = await put({ tiers: [{ id: 'all', minMonthlyValue: 0 }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ tiers: [{ id: 'all', minMonthlyValue: 0 }], feb29: 'feb28' });
    expect(await store.settings.getSettings()).toEqual({
      tiers: [{ id: 'all', minMonthlyValue: 0 }],
      feb29: 'feb28',
    });
  });
});
