// POST /v1/{kind}:import over in-memory stores: a store that fails part-way through the write pass is
// answered with a 503 problem saying how far it got, never a bare 500, and the same request again
// completes the import.
import { describe, expect, it } from 'vitest';
import { memoryApi } from '../../support/fakes/memory-api.js';

function app() {
  const { store, call } = memoryApi();
  const post = (body: string) => call('POST', '/v1/customers:import', body, 'application/x-ndjson');
  return { store, post };
}

const body = Array.from({ length: 1_200 }, (_, i) =>
  JSON.stringify({
    id: `c-${i}`,
    name: `Customer ${i}`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: i,
    consent: { email: true, sms: false },
  }),
).join('\n');

describe('POST /v1/customers:import', () => {
  it('answers a store failure in the write pass with a 503 problem naming how far it got, and the same request again completes it', async () => {
    const { store, post } = app();
    const put = store.documents.putCustomers.bind(store.documents);
    let calls = 0;
    store.documents.putCustomers = async (docs) => {
      if (++calls === 2) throw new Error('ProvisionedThroughputExceededException');
      await put(docs);
    };
    const failed = await post(body);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await failed.json()).toMatchObject({
      status: 503,
      detail: expect.stringMatching(/^the import stopped after 500 of 1200 validated documents were written/),
    });
    expect(store.documents.customers.size).toBe(500);

    store.documents.putCustomers = put;
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ count: 1_200, written: 1_200 });
    expect(store.documents.customers.size).toBe(1_200);
  });
});
