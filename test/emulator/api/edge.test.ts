// The local API answers what the cloud's API Gateway answers: the same requests sent to the local
// edge (the template's REST API in front of the Hono app, over DynamoDB Local) get the status and
// body the template declares — 403 unsigned, 403 no route, 400 not-an-object before the signature,
// public reference — and the limits infra sets: the webhook body, each partner's throttle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFetch, localApiDeps, localApiFetch } from '../../../local/api-server.js';
import type { CfnTemplate } from '../../../local/assembly-tables.js';
import { functionEnvironment } from '../../../local/cfn-template.js';
import { createApp } from '../../../shared/api/app.js';
import { gatewayProblemBody } from '../../../shared/api/gateway-responses.js';
import { ENV } from '../../../shared/config/env.js';
import { EVENTBRIDGE_ENTRY_BYTES, MAX_WEBHOOK_BODY_BYTES } from '../../../shared/domain/limits.js';
import { RateScheduleRows } from '../../../shared/store/rate-budget.js';
import { Table } from '../../../shared/store/table.js';
import { eventBody, START, webhookTestBed } from '../support/webhooks.js';

const bed = webhookTestBed();
let edge: ApiFetch;
let app: ReturnType<typeof createApp>;
let token: string;
let dataDir: string;
let apiEnv: Record<string, string>;
let template: CfnTemplate;
let composed: Omit<Parameters<typeof localApiDeps>[0], 'dataDir'>;
let templateResponse: (type: string, path: string) => { status: number; body: unknown };

beforeAll(async () => {
  await bed.setup();
  dataDir = mkdtempSync(join(tmpdir(), 'tp-edge-'));
  template = bed.template;
  apiEnv = functionEnvironment(template, 'api');
  composed = bed.composed({ rates: new RateScheduleRows(new Table(bed.table.client, bed.table.tableName)) });
  const apiDeps = localApiDeps({ ...composed, dataDir });
  token = apiDeps.config.opsToken ?? '';
  app = createApp(apiDeps);
  edge = localApiFetch(template, apiDeps);
  // What the template declares for a gateway response: read from the template, not from our table.
  templateResponse = (type, path) => {
    const r = Object.values(template.Resources).find(
      (x) => x.Type === 'AWS::ApiGateway::GatewayResponse' && x.Properties?.ResponseType === type,
    );
    const text = String(Reflect.get(Object(r?.Properties?.ResponseTemplates), 'application/json'));
    return {
      status: Number(r?.Properties?.StatusCode),
      body: JSON.parse(text.replace('$context.path', path)),
    };
  };
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const get = (path: string, headers: Record<string, string> = {}) =>
  edge(new Request(`http://127.0.0.1${path}`, { headers }));

const signed = (body: string, id = ulid(), partner = 'acme') => {
  const at = new Date(bed.clock.t);
  return new Request(`http://127.0.0.1/webhooks/${partner}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(bed.secret).sign(id, at, body),
    },
  });
};

describe('the local edge answers as the template declares', () => {
  it('an unsigned GET /v1/campaigns is 403 with the problem the gateway response declares, status in the body', async () => {
    const res = await get('/v1/campaigns');
    const declared = templateResponse('MISSING_AUTHENTICATION_TOKEN', '/v1/campaigns');
    expect(res.status).toBe(403);
    expect(declared.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual(declared.body);
    expect(declared.body).toMatchObject({ status: 403 });
  });

  it('a wrong token is refused alike: 403, the same type and title as a missing one', async () => {
    const res = await get('/v1/campaigns', { authorization: 'Bearer not-the-token' });
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body).toEqual(templateResponse('INVALID_SIGNATURE', '/v1/campaigns').body);
    const missing = gatewayProblemBody('MISSING_AUTHENTICATION_TOKEN', '/v1/campaigns');
    expect(body).toMatchObject({ type: missing.type, title: missing.title, status: missing.status });
  });

  it('the Lambda behind it refuses an unsigned request with the same body (what the cloud answers if the gateway let one through)', async () => {
    const res = await app.request('/v1/campaigns');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual(templateResponse('MISSING_AUTHENTICATION_TOKEN', '/v1/campaigns').body);
  });

  it('a route or method the template does not declare is 403 Missing Authentication Token, as in the cloud', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/'],
      ['DELETE', '/reference'],
      ['GET', '/webhooks/acme'],
    ] as const) {
      const res = await edge(
        new Request(`http://127.0.0.1${path}`, { method, headers: { authorization: `Bearer ${token}` } }),
      );
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await res.json()).toEqual(templateResponse('MISSING_AUTHENTICATION_TOKEN', path).body);
    }
  });

  it('publishes the reference and the OpenAPI document without credentials, as documented', async () => {
    const reference = await get('/reference');
    expect(reference.status).toBe(200);
    expect(reference.headers.get('content-type')).toContain('text/html');
    const openapi = await get('/openapi.json');
    expect(openapi.status).toBe(200);
    expect(await openapi.json()).toMatchObject({ openapi: '3.1.0' });
  });

  it('a webhook whose body is not a JSON object is 400 at the gateway, before its signature is checked', async () => {
    for (const body of ['[1]', '"text"', 'not json', '42']) {
      const res = await edge(
        new Request('http://127.0.0.1/webhooks/acme', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        }),
      );
      expect(res.status, body).toBe(400);
      expect(await res.json()).toEqual(templateResponse('BAD_REQUEST_BODY', '/webhooks/acme').body);
    }
    // An object goes on to the Lambda, which checks the signature.
    const unsigned = await edge(
      new Request('http://127.0.0.1/webhooks/acme', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(unsigned.status).toBe(401);
  });
});

describe('one set of limits, from the template', () => {
  it("a webhook body streamed without a length past API Gateway's 10 MB is 413, and read no further", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await edge(
      new Request('http://127.0.0.1/webhooks/acme', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(templateResponse('REQUEST_TOO_LARGE', '/webhooks/acme').body);
    expect(pulled).toBeLessThan(20);
  });

  it('a signed webhook larger than the webhook limit is 413, and the limit fits an EventBridge entry', async () => {
    expect(MAX_WEBHOOK_BODY_BYTES).toBeLessThan(EVENTBRIDGE_ENTRY_BYTES);
    const body = eventBody({ data: { note: 'x'.repeat(300 * 1024) } });
    const res = await edge(signed(body));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413 });
  });

  it('a partner past its burst gets 429 with Retry-After, at the rate infra sets on the API function', async () => {
    bed.clock.t = START + 3_600_000;
    const burst = Number(apiEnv[ENV.partnerBurstLimit]);
    const rate = Number(apiEnv[ENV.partnerRateLimit]);
    expect(burst).toBeGreaterThan(0);
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i <= burst; i++) {
      const res = await edge(signed(eventBody({ occurredAt: new Date(bed.clock.t - 60_000).toISOString() })));
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.slice(0, burst).every((s) => s === 202)).toBe(true);
    expect(statuses[burst]).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another API instance (a second Lambda) shares the partner's schedule in the table: still refused.
    const other = localApiFetch(template, localApiDeps({ ...composed, dataDir }));
    expect(
      (await other(signed(eventBody({ occurredAt: new Date(bed.clock.t - 60_000).toISOString() })))).status,
    ).toBe(429);
    // One interval later the partner may send one more: the rate, not the burst, refills.
    bed.clock.t += Math.ceil(1000 / rate);
    const next = await edge(signed(eventBody({ occurredAt: new Date(bed.clock.t - 60_000).toISOString() })));
    expect(next.status).toBe(202);
  });
});
