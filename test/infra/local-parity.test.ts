// Local answers what the cloud answers: every resource the template declares either runs locally
// from the template or has its difference stated with the test that asserts it (local/parity.ts);
// every API method is routed by the local edge, every bus rule by the local bus.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/house-function.js';
import { busRulesFromTemplate } from '../../local/bus-rules.js';
import { type CfnTemplateJson, parseTemplate } from '../../local/cfn-template.js';
import { apiFromTemplate, UnsupportedApiFeatureError } from '../../local/edge/api-template.js';
import { localEdge } from '../../local/edge/edge.js';
import { LOCAL_PARITY } from '../../local/parity.js';
import { gatewayProblemBody } from '../../shared/api/gateway-responses.js';
import { SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

/** Every optional construct on: WAF, the SES domain identity. */
const EVERYTHING = {
  ...TEST_CONTEXT,
  senderDomain: 'mail.touchpoint-shop.de',
  api: JSON.stringify({ wafRateLimit: 1000 }),
};

let templates: { label: string; json: CfnTemplateJson }[];
beforeAll(() => {
  templates = [
    { label: 'defaults', json: parseTemplate(synthTemplate(TEST_CONTEXT).template.toJSON()) },
    { label: 'every option', json: parseTemplate(synthTemplate(EVERYTHING).template.toJSON()) },
  ];
}, SYNTH_TIMEOUT_MS);

describe('every resource the stack declares runs locally or has its difference asserted', () => {
  it('has an entry in local/parity.ts for each resource type, defaults and every option', () => {
    for (const { label, json } of templates) {
      const types = new Set(Object.values(json.Resources).map((r) => r.Type));
      types.delete('AWS::CDK::Metadata');
      const missing = [...types].filter((t) => LOCAL_PARITY[t] === undefined);
      expect(missing, `${label}: no local behaviour or stated difference`).toEqual([]);
    }
  });

  it('names, for each difference, a test that exists and asserts it on the template', () => {
    for (const [type, parity] of Object.entries(LOCAL_PARITY)) {
      if (!('assertedBy' in parity)) continue;
      const [file, name] = parity.assertedBy.split(' › ');
      expect(file && name, `${type}: "file › test name"`).toBeTruthy();
      const path = join(PROJECT_ROOT, file ?? '');
      expect(existsSync(path), `${type}: ${file}`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${type}: no test "${name}" in ${file}`).toContain(name);
    }
  });

  it('with senderDomain the stack declares the SES domain identity (verified in the cloud only)', () => {
    const [, every] = templates;
    if (!every) throw new Error('no template');
    const identities = Object.values(every.json.Resources).filter(
      (r) => r.Type === 'AWS::SES::EmailIdentity',
    );
    expect(identities.map((r) => r.Properties?.EmailIdentity)).toEqual(['mail.touchpoint-shop.de']);
  });
});

describe('the local edge routes every API method of the template', () => {
  const TOKEN = 'edge-token';
  const samplePath = (path: string) =>
    path.replace(/\{[^}]+\+\}/g, 'campaigns/c1').replace(/\{[^}]+\}/g, 'p1');

  it('reaches the integration with credentials, and refuses an IAM method without them as the template says', async () => {
    for (const { json } of templates) {
      const api = apiFromTemplate(json);
      expect(api.methods.length).toBe(
        Object.values(json.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method').length,
      );
      const reached: string[] = [];
      const edge = localEdge({
        api,
        opsToken: TOKEN,
        app: (req) => {
          reached.push(`${req.method} ${new URL(req.url).pathname}`);
          return new Response(null, { status: 204 });
        },
      });
      for (const m of api.methods) {
        const method = m.httpMethod === 'ANY' ? 'GET' : m.httpMethod;
        const url = `http://local${samplePath(m.path)}`;
        const body = method === 'GET' ? undefined : '{}';
        const headers = { 'content-type': 'application/json' };
        const signed = await edge(
          new Request(url, { method, body, headers: { ...headers, authorization: `Bearer ${TOKEN}` } }),
        );
        expect(signed.status, `${method} ${m.path}`).toBe(204);
        const unsigned = await edge(new Request(url, { method, body, headers }));
        if (m.authorization === 'AWS_IAM') {
          expect(unsigned.status).toBe(403);
          expect(await unsigned.json()).toEqual(
            gatewayProblemBody('MISSING_AUTHENTICATION_TOKEN', new URL(url).pathname),
          );
        } else if (m.authorization === 'COGNITO_USER_POOLS') {
          // API Gateway's Cognito authorizer: 401 UNAUTHORIZED, as the template's gateway response says.
          expect(unsigned.status).toBe(401);
          expect(await unsigned.json()).toEqual(gatewayProblemBody('UNAUTHORIZED', new URL(url).pathname));
        } else {
          expect(unsigned.status, `${method} ${m.path} is public`).toBe(204);
        }
      }
      expect(reached.length).toBe(
        api.methods.length * 2 - api.methods.filter((m) => m.authorization !== 'NONE').length,
      );
    }
  });

  it('refuses to start on what it cannot emulate (an API key, an authorizer), by name', () => {
    const [first] = templates;
    if (!first) throw new Error('no template');
    const withKey = structuredClone(first.json);
    const method = Object.values(withKey.Resources).find((r) => r.Type === 'AWS::ApiGateway::Method');
    if (!method?.Properties) throw new Error('no method');
    method.Properties.ApiKeyRequired = true;
    expect(() => apiFromTemplate(withKey)).toThrow(UnsupportedApiFeatureError);
    expect(() => apiFromTemplate(withKey)).toThrow(/ApiKeyRequired/);
  });
});

describe('the local bus runs every event rule of the template', () => {
  it('has a local rule, with its targets, for each AWS::Events::Rule', () => {
    for (const { json } of templates) {
      const declared = Object.entries(json.Resources)
        .filter(([, r]) => r.Type === 'AWS::Events::Rule')
        .map(([id, r]) => ({
          id,
          targets: Array.isArray(r.Properties?.Targets) ? r.Properties.Targets.length : 0,
        }));
      const local = busRulesFromTemplate(json);
      expect(local.map((r) => r.logicalId).sort()).toEqual(declared.map((d) => d.id).sort());
      for (const d of declared) {
        expect(local.find((r) => r.logicalId === d.id)?.targets.length, d.id).toBe(d.targets);
      }
    }
  });
});
