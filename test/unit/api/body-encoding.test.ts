// Request bodies that are not UTF-8 (a Latin-1 or GBK export pasted into a request): JSON and NDJSON
// must be UTF-8 (RFC 8259), and decoding them anyway would store U+FFFD in place of every such byte.
import { describe, expect, it } from 'vitest';
import { MEMORY_API_TOKEN, memoryApi } from '../../support/fakes/memory-api.js';

const customer = (name: string) =>
  JSON.stringify({
    id: 'c-1',
    name,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 1,
    consent: { email: true, sms: false },
  });

/** The text with its `Ann` followed by Latin-1 bytes (`é` is 0xE9 there, not UTF-8). */
const latin1 = (text: string) => {
  const [before, after] = text.split('@@');
  return Buffer.concat([
    Buffer.from(before ?? '', 'utf8'),
    Buffer.from([0xe9, 0xff]),
    Buffer.from(after ?? '', 'utf8'),
  ]);
};

describe('a request body that is not UTF-8', () => {
  it('is refused with a 400 problem and nothing stored, instead of storing U+FFFD in place of its bytes (PUT and NDJSON import)', async () => {
    const { store, api } = memoryApi();
    const send = (method: string, path: string, body: Buffer, type: string) =>
      api.request(path, {
        method,
        headers: { authorization: `Bearer ${MEMORY_API_TOKEN}`, 'content-type': type },
        body,
      });
    const put = await send('PUT', '/v1/customers/c-1', latin1(customer('Ann@@')), 'application/json');
    const imported = await send(
      'POST',
      '/v1/customers:import',
      latin1(customer('Ann@@')),
      'application/x-ndjson',
    );
    for (const res of [put, imported]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/UTF-8/) });
    }
    expect(store.documents.customers.size).toBe(0);
    // The same document in UTF-8 is stored as written.
    const ok = await send(
      'PUT',
      '/v1/customers/c-1',
      Buffer.from(customer('Anné'), 'utf8'),
      'application/json',
    );
    expect(ok.status).toBeLessThan(300);
    expect((await store.customers.getCustomer('c-1'))?.name).toBe('Anné');
  });
});
