// GET/POST /v1/customers/{id}/consent over in-memory ports.
import { describe, expect, it } from 'vitest';
import { MEMORY_API_TOKEN, memoryApi } from '../../support/fakes/memory-api.js';
import { customer } from '../domain/fixtures.js';

const get = (api: ReturnType<typeof memoryApi>['api'], path: string) =>
  api.request(path, { headers: { authorization: `Bearer ${MEMORY_API_TOKEN}` } });

describe('/v1/customers/{id}/consent', () => {
  it('records an operator change once (source api) and shows current consent and history', async () => {
    const { store, api, call } = memoryApi();
    await store.documents.putCustomers([customer('c1')]);
    const body = JSON.stringify({
      channel: 'email',
      topic: 'offers',
      value: false,
      evidence: 'call 2026-11-26',
    });
    const first = await call('POST', '/v1/customers/c1/consent', body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ outcome: 'applied' });
    expect(await (await call('POST', '/v1/customers/c1/consent', body)).json()).toEqual({
      outcome: 'unchanged',
    });
    const res = await get(api, '/v1/customers/c1/consent');
    expect(await res.json()).toEqual({
      consent: { email: true, sms: true, topics: { offers: false } },
      consentHistory: [
        {
          at: '2026-11-26T09:00:00.000Z',
          channel: 'email',
          topic: 'offers',
          value: false,
          source: 'api',
          evidence: 'call 2026-11-26',
        },
      ],
    });
  });

  it('refuses an oversized evidence or an unknown field with 400, an unknown customer with 404, and records nothing', async () => {
    const { store, call } = memoryApi();
    await store.documents.putCustomers([customer('c1')]);
    const big = JSON.stringify({ channel: 'sms', value: false, evidence: 'x'.repeat(2001) });
    expect((await call('POST', '/v1/customers/c1/consent', big)).status).toBe(400);
    const extra = JSON.stringify({ channel: 'sms', value: false, source: 'complaint' });
    expect((await call('POST', '/v1/customers/c1/consent', extra)).status).toBe(400);
    const ok = JSON.stringify({ channel: 'sms', value: false });
    expect((await call('POST', '/v1/customers/nobody/consent', ok)).status).toBe(404);
    expect(await store.consent.consentHistory('c1')).toEqual([]);
    expect((await store.customers.getCustomer('c1'))?.consent).toEqual({ email: true, sms: true });
  });
});
