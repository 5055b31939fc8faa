// POST /v1/campaigns/{id}/preview over in-memory stores: the body the console's template preview
// sends (no customer: the sample one; a locale to render in), and what it refuses.
import { describe, expect, it } from 'vitest';
import { applyCampaign } from '../../../shared/usecases/campaigns/apply.js';
import { memoryApi } from '../../support/fakes/memory-api.js';
import { campaign } from '../domain/fixtures.js';

async function app() {
  const { store, call } = memoryApi();
  await applyCampaign(store, { doc: JSON.parse(JSON.stringify(campaign())), mode: 'create' });
  return (body: unknown) => call('POST', '/v1/campaigns/camp/preview', JSON.stringify(body));
}

describe('POST /v1/campaigns/{id}/preview', () => {
  it('renders for the sample customer without a customer id, in the locale asked', async () => {
    const preview = await app();
    const res = await preview({ locale: 'en-US' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      customerId: 'c-000123',
      sample: true,
      messages: [
        {
          channel: 'email',
          locale: 'en-US',
          subject: 'Hi Alexandra Montgomery',
          composed: { html: expect.any(String) },
        },
        { channel: 'sms', locale: 'en-US' },
      ],
    });
    expect((await preview({})).status).toBe(200);
  });

  it('refuses a malformed locale and an unknown field with a 400 problem at the path', async () => {
    const preview = await app();
    for (const [body, path] of [
      [{ locale: 'not a locale' }, 'locale'],
      [{ customer: 'c1' }, ''],
    ] as const) {
      const res = await preview(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const problem: unknown = await res.json();
      if (path) expect(problem).toMatchObject({ errors: [{ path }] });
    }
    expect((await preview({ customerId: 'nobody' })).status).toBe(404);
  });
});
