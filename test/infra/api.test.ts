import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  GATEWAY_PROBLEMS,
  GATEWAY_RESPONSE_TYPES,
  gatewayProblemBody,
} from '../../shared/api/gateway-responses.js';
import { ENV } from '../../shared/config/env.js';
import { buildApp, resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

/** API settings that differ from the defaults: WAF on, other throttles. */
const API_CONTEXT = {
  ...TEST_CONTEXT,
  api: JSON.stringify({
    stageName: 'prod',
    throttle: { rateLimit: 40, burstLimit: 80 },
    webhookThrottle: { rateLimit: 90, burstLimit: 180 },
    partnerThrottle: { rateLimit: 3, burstLimit: 6 },
    unsubscribeThrottle: { rateLimit: 7, burstLimit: 14 },
    wafRateLimit: 1500,
  }),
};

const outdirs: string[] = [];
/** Synthesizes once with cdk-nag, returning the template and the validation report the synth wrote. */
function synthWithNag(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'touchpoint-api-'));
  outdirs.push(outdir);
  const { app } = buildApp(context, outdir);
  app.synth();
  const template = Template.fromJSON(
    JSON.parse(readFileSync(join(outdir, 'TouchpointStack.template.json'), 'utf8')),
  );
  const report = ValidationReport.parse(
    JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')),
  );
  return { template, report };
}

const ValidationReport = z.object({
  pluginReports: z.array(
    z.object({
      pluginName: z.string(),
      conclusion: z.string(),
      violations: z.array(z.unknown()),
      suppressedViolations: z.array(z.object({ ruleName: z.string(), reason: z.string() })).optional(),
    }),
  ),
});

let base: ReturnType<typeof synthWithNag>;
let custom: ReturnType<typeof synthWithNag>;
beforeAll(() => {
  base = synthWithNag(TEST_CONTEXT);
  custom = synthWithNag(API_CONTEXT);
}, SYNTH_TIMEOUT_MS);
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const methods = (template: Template) =>
  resourcesOfType(template, 'AWS::ApiGateway::Method').map(
    ([id, p]): Record<string, unknown> => ({ id, ...p }),
  );
const apiFnId = (template: Template): string => {
  const [id] =
    Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, r]) => Reflect.get(Object(Reflect.get(r, 'Metadata')), 'touchpoint:entry') === 'functions/api.ts',
    ) ?? [];
  if (id === undefined) throw new Error('no API function in the template');
  return id;
};

describe('API Gateway REST API', () => {
  it('proxies every method to the API Lambda', () => {
    const { template } = base;
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    const all = methods(template);
    expect(all.length).toBe(9);
    for (const m of all) {
      expect(m.Integration).toMatchObject({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', expect.arrayContaining([{ 'Fn::GetAtt': [apiFnId(template), 'Arn'] }])] },
      });
    }
  });

  const routes = (template: Template) => {
    const resources = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGateway::Resource').map(([id, p]) => [id, p]),
    );
    const pathOf = (id: string): string => {
      const r = resources[id];
      if (!r) return '';
      return `${pathOf(String(Reflect.get(Object(r.ParentId), 'Ref')))}/${String(r.PathPart)}`;
    };
    return methods(template).map((m) => ({
      route: `${String(m.HttpMethod)} ${pathOf(String(Reflect.get(Object(m.ResourceId), 'Ref')))}`,
      auth: m.AuthorizationType,
      apiKey: m.ApiKeyRequired,
    }));
  };

  it('authorizes /v1 with IAM and /console/v1 with the console user pool; the reference, the OpenAPI document, unsubscribe links and webhooks need no AWS credentials', () => {
    const all = routes(base.template);
    expect(all.map((r) => `${r.route} ${r.auth}`).sort()).toEqual([
      'ANY /console/v1 COGNITO_USER_POOLS',
      'ANY /console/v1/{proxy+} COGNITO_USER_POOLS',
      'ANY /v1 AWS_IAM',
      'ANY /v1/{proxy+} AWS_IAM',
      'GET /openapi.json NONE',
      'GET /reference NONE',
      'GET /u/{token} NONE',
      'POST /u/{token} NONE',
      'POST /webhooks/{partnerId} NONE',
    ]);
    // Partners send only what the contract asks: the Standard Webhooks headers, no API key.
    for (const r of all) expect(r.apiKey).toBeUndefined();
    base.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    base.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  it('the webhook: POST /webhooks/{partnerId}, no AWS auth, no API key, body validated as a JSON object', () => {
    const { template } = base;
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'webhooks' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      RequestValidatorId: { Ref: Match.anyValue() },
      RequestModels: { 'application/json': { Ref: Match.anyValue() } },
      RequestParameters: { 'method.request.path.partnerId': true },
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ type: 'object' }),
    });
  });

  it("each verified partner's throttle is set on the API function, which takes it after the signature", () => {
    const env = (template: Template) =>
      Reflect.get(
        Object(Reflect.get(Object(template.toJSON().Resources[apiFnId(template)].Properties), 'Environment')),
        'Variables',
      );
    expect(env(base.template)).toMatchObject({ [ENV.partnerRateLimit]: '20', [ENV.partnerBurstLimit]: '40' });
    expect(env(custom.template)).toMatchObject({ [ENV.partnerRateLimit]: '3', [ENV.partnerBurstLimit]: '6' });
  });

  it('the stage: JSON access logs, X-Ray, default and webhook method throttling', () => {
    const [[, stage] = ['', {}]] = resourcesOfType(custom.template, 'AWS::ApiGateway::Stage');
    expect(stage.StageName).toBe('prod');
    expect(stage.TracingEnabled).toBe(true);
    const access = z
      .object({
        DestinationArn: z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) }),
        Format: z.string(),
      })
      .parse(stage.AccessLogSetting);
    const logGroups = resourcesOfType(custom.template, 'AWS::Logs::LogGroup').map(([id]) => id);
    expect(logGroups).toContain(access.DestinationArn['Fn::GetAtt'][0]);
    const format: unknown = JSON.parse(access.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      apiKeyId: '$context.identity.apiKeyId',
    });
    expect(stage.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 40,
          ThrottlingBurstLimit: 80,
        }),
        expect.objectContaining({
          HttpMethod: 'POST',
          ResourcePath: '/~1webhooks~1{partnerId}',
          ThrottlingRateLimit: 90,
          ThrottlingBurstLimit: 180,
        }),
        ...['GET', 'POST'].map((HttpMethod) =>
          expect.objectContaining({
            HttpMethod,
            ResourcePath: '/~1u~1{token}',
            ThrottlingRateLimit: 7,
            ThrottlingBurstLimit: 14,
          }),
        ),
      ]),
    );
  });

  it("API Gateway's own refusals are problem JSON with their status, every response type; throttles say Retry-After", () => {
    const declared = resourcesOfType(base.template, 'AWS::ApiGateway::GatewayResponse').map(([, p]) => p);
    expect(declared.map((p) => p.ResponseType).sort()).toEqual([...GATEWAY_RESPONSE_TYPES].sort());
    for (const p of declared) {
      const type = GATEWAY_RESPONSE_TYPES.find((t) => t === p.ResponseType);
      if (type === undefined) throw new Error(`unexpected ${String(p.ResponseType)}`);
      const body: unknown = JSON.parse(
        String(Reflect.get(Object(p.ResponseTemplates), 'application/json')).replace('$context.path', '/x'),
      );
      expect(body).toEqual(gatewayProblemBody(type, '/x'));
      expect(Reflect.get(Object(p.ResponseParameters), 'gatewayresponse.header.Content-Type')).toBe(
        "'application/problem+json'",
      );
      if (type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX') expect(p.StatusCode).toBeUndefined();
      else expect(p.StatusCode).toBe(String(GATEWAY_PROBLEMS[type].status));
    }
    for (const type of ['THROTTLED', 'QUOTA_EXCEEDED']) {
      base.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: '429',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
      });
    }
    // An unsigned request (or one to no route) is 403 in the cloud, as a problem that names its status.
    base.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '403',
    });
  });

  it('exports the API URL', () => {
    const outputs = base.template.findOutputs('*', { Description: 'Base URL of the Touchpoint API' });
    expect(Object.keys(outputs)).toHaveLength(1);
  });
});

describe('the API Lambda', () => {
  it('is a house function: arm64, nodejs24.x, X-Ray, its entry recorded, its settings in the environment', () => {
    const fn = base.template.findResources('AWS::Lambda::Function')[apiFnId(base.template)];
    expect(fn).toMatchObject({
      Properties: {
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        Timeout: 29,
        Environment: {
          Variables: expect.objectContaining({
            TABLE_NAME: expect.anything(),
            EVENT_BUS_NAME: expect.anything(),
            TOUCHPOINT_ENV: 'test',
            [ENV.stateMachineArn]: { Ref: expect.stringMatching(/^RunsRunMachine/) },
            [ENV.partnerSecretPrefix]: 'touchpoint/test',
          }),
        },
      },
    });
  });

  it('is granted named resources only: its state machine, the partner secret prefix, no * on data', () => {
    const fnRole = Reflect.get(
      Object(
        Reflect.get(
          Object(base.template.findResources('AWS::Lambda::Function')[apiFnId(base.template)]),
          'Properties',
        ),
      ),
      'Role',
    );
    const roleId = String(Reflect.get(Object(fnRole), 'Fn::GetAtt')?.[0]);
    const policies = resourcesOfType(base.template, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Roles).includes(roleId),
    );
    const statements = policies.flatMap(
      ([, p]) =>
        z
          .object({
            Statement: z.array(
              z.object({ Action: z.union([z.string(), z.array(z.string())]), Resource: z.unknown() }),
            ),
          })
          .parse(p.PolicyDocument).Statement,
    );
    const actionsOf = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    const resourcesOf = (s: { Resource: unknown }) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
    const grant = (action: string) =>
      statements.filter((s) => actionsOf(s).includes(action)).flatMap(resourcesOf);

    expect(grant('states:StartExecution')).toEqual([{ Ref: expect.stringMatching(/^RunsRunMachine/) }]);
    expect(JSON.stringify(grant('states:DescribeExecution'))).toMatch(
      /:execution:.*RunsRunMachine\w+","Name"\]\},":\*"/,
    );
    expect(JSON.stringify(grant('secretsmanager:GetSecretValue'))).toMatch(
      /:secret:touchpoint\/test\/partners\/\*"/,
    );
    expect(grant('events:PutEvents')).toHaveLength(1);
    expect(grant('dynamodb:PutItem').length).toBeGreaterThan(0);
    const dataActions = statements.filter((s) =>
      // ses:GetAccount (the send quota) is account-level: it has no resource to name.
      // secretsmanager:ListSecrets (partner list) likewise takes no resource scope.
      actionsOf(s).some(
        (a) =>
          /^(dynamodb|states|secretsmanager|events|ses|sms-voice):/.test(a) &&
          a !== 'ses:GetAccount' &&
          a !== 'secretsmanager:ListSecrets',
      ),
    );
    for (const s of dataActions) expect(resourcesOf(s), actionsOf(s).join(',')).not.toContain('*');
    // The generated keys (unsubscribe, pseudonym) are read, by their own ARN only, never written
    // nor described.
    const keyReads = statements.filter((s) =>
      resourcesOf(s).some((r) => /SecretsUnsubscribeKey|SecretsPseudonymKey/.test(JSON.stringify(r))),
    );
    expect(new Set(keyReads.flatMap(actionsOf))).toEqual(new Set(['secretsmanager:GetSecretValue']));
    expect(keyReads.flatMap(resourcesOf)).toHaveLength(2);
  });
});

describe('WAF', () => {
  it('is absent unless api.wafRateLimit is set', () => {
    base.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    base.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('when set: a regional WebACL with a per-IP rate rule, on the stage', () => {
    const { template } = custom;
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
        }),
      ],
    });
    const [[stageId] = ['']] = resourcesOfType(template, 'AWS::ApiGateway::Stage');
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebAcl'), 'Arn'] },
    });
    const [[, assoc] = ['', {}]] = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(assoc.ResourceArn)).toContain(stageId);
  });
});

describe('cdk-nag AwsSolutions', () => {
  for (const [label, get] of [
    ['defaults', () => base],
    ['WAF and partners', () => custom],
  ] as const) {
    it(`is clean with ${label}; the API's acknowledgements are the expected ones, each explained`, () => {
      const nag = get().report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
      expect(nag).toMatchObject({ conclusion: 'success', violations: [] });
      const accepted = nag?.suppressedViolations ?? [];
      for (const v of accepted) expect(v.reason.length, v.ruleName).toBeGreaterThan(20);
      const apiRules = new Set(
        accepted.map((v) => v.ruleName).filter((r) => /APIG|COG|secretsmanager|:execution:/.test(r)),
      );
      const expected = [
        'AwsSolutions-APIG4',
        'AwsSolutions-APIG6',
        'AwsSolutions-COG4',
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*:secret:touchpoint\/test\/partners\/\*\]$/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*:execution:<RunsRunMachine\w+\.Name>:\*\]$/),
        // The run's Distributed Map on its own child executions (infra/nag.ts): Describe/Stop, and Redrive.
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*:execution:\{"Fn::Select".*\}:\*\]$/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*:execution:\{"Fn::Select".*\}\/\*:\*\]$/),
      ];
      // Without WAF the stage's missing WebACL is acknowledged; with it, there is nothing to acknowledge.
      if (label === 'defaults') expected.push('AwsSolutions-APIG3');
      expect([...apiRules]).toEqual(expect.arrayContaining(expected));
      expect(apiRules.size).toBe(expected.length);
    });
  }
});

describe('settings', () => {
  it('refuses API settings it does not read (the API keys and tiers it once had), naming them', () => {
    expect(() =>
      synthTemplate({ ...TEST_CONTEXT, api: { partners: [{ id: 'acme', tier: 'platinum' }] } }),
    ).toThrow(/partners/);
  });
});
