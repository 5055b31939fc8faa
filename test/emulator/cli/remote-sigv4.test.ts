// `--api` without a token signs with SigV4 (API Gateway's IAM auth on /v1): the region comes from
// the execute-api host, the stage path is kept, and the signed payload hash is that of the bytes sent.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../../local/cli/remote/client.js';
import { regionOf } from '../../../local/cli/remote/sigv4.js';

const seen: { url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (d: Buffer) => parts.push(d));
  req.on('end', () => {
    seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"count":2,"written":2}');
  });
});
let origin = '';
const saved = { ...process.env };

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test server has no port');
  origin = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
  });
});
afterAll(async () => {
  process.env = saved;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SigV4 for --api without a token', () => {
  it('takes the region from the execute-api host, else AWS_REGION', () => {
    expect(regionOf(new URL('https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/prod'), {})).toBe(
      'ap-southeast-2',
    );
    expect(regionOf(new URL('https://api.example.com'), { AWS_REGION: 'us-east-2' })).toBe('us-east-2');
    expect(() => regionOf(new URL('https://api.example.com'), {})).toThrow(/AWS_REGION/);
  });

  it('signs the request it sends, body hash included, under the stage path', async () => {
    const api = await apiClient({ url: `${origin}/prod` }, '/nonexistent-data-dir');
    const ndjson = '{"id":"a"}\n{"id":"b"}\n';
    const { body } = await api.call('POST', '/v1/customers:import', {
      query: { dry: 'no' },
      body: {
        contentType: 'application/x-ndjson',
        chunks: async function* () {
          yield ndjson;
        },
      },
    });
    expect(body).toEqual({ count: 2, written: 2 });
    const req = seen.at(-1);
    expect(req?.url).toBe('/prod/v1/customers:import?dry=no');
    expect(req?.body.toString()).toBe(ndjson);
    expect(req?.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(ndjson).digest('hex'));
    expect(req?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
  });
});
