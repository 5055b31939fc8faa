// The console's sign-in as synthesized: a user pool the stack owns (no self sign-up, MFA, a strong
// password policy, the Plus plan), the three role groups, a public app client for the
// authorization-code grant (PKCE, no secret), a hosted UI domain named from the stack, the Cognito
// authorizer on /console/v1 (and only there; /v1 stays IAM), the outputs the hosting reads, the
// AuditWriteFailed alarm, and cdk-nag clean without a Cognito acknowledgement.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp, resourcesOfType, SYNTH_TIMEOUT_MS, TEST_CONTEXT } from './synth-helper.js';

const report = z.object({
  pluginReports: z.array(
    z.object({
      pluginName: z.string(),
      conclusion: z.string(),
      violations: z.array(z.unknown()),
      suppressedViolations: z.array(z.object({ ruleName: z.string(), reason: z.string() })).optional(),
    }),
  ),
});

let outdir: string;
let template: Template;
let nag: z.infer<typeof report>['pluginReports'][number] | undefined;
let hosted: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'touchpoint-console-auth-'));
  const { app } = buildApp(TEST_CONTEXT, outdir);
  app.synth();
  template = Template.fromJSON(
    JSON.parse(readFileSync(join(outdir, 'TouchpointStack.template.json'), 'utf8')),
  );
  nag = report
    .parse(JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')))
    .pluginReports.find((p) => p.pluginName === 'AwsSolutions');
  hosted = Template.fromStack(
    buildApp({ ...TEST_CONTEXT, consoleUrl: 'https://d111111abcdef8.cloudfront.net/console/' }).stack,
  );
}, SYNTH_TIMEOUT_MS);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the console user pool', () => {
  it('administrators create users; TOTP MFA is required; passwords are strong; the Plus plan enforces threat protection', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      UsernameAttributes: ['email'],
    });
    // No hard-coded pool name: two stacks in one account do not collide.
    for (const [, props] of resourcesOfType(template, 'AWS::Cognito::UserPool'))
      expect(props).not.toHaveProperty('UserPoolName');
  });

  it('has the three groups the API reads roles from, admin taking precedence', () => {
    const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(([, p]) => [
      p.GroupName,
      p.Precedence,
    ]);
    expect(groups.sort()).toEqual([
      ['admin', 0],
      ['editor', 1],
      ['viewer', 2],
    ]);
  });

  it('has a public app client for the authorization-code grant (PKCE), no secret, no implicit grant', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      // The hosted console's /console/ (infra/constructs/console-hosting.ts) when no consoleUrl is given.
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('takes the console URL from context for its callback and logout URLs', () => {
    hosted.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://d111111abcdef8.cloudfront.net/console/'],
      LogoutURLs: ['https://d111111abcdef8.cloudfront.net/console/'],
    });
  });

  it('has a hosted UI domain whose prefix is derived from the stack, and outputs what the hosting needs', () => {
    const [[, domain] = ['', {}]] = resourcesOfType(template, 'AWS::Cognito::UserPoolDomain');
    expect(JSON.stringify(domain.Domain)).toContain('AWS::StackId');
    expect(JSON.stringify(domain.Domain)).toContain('touchpoint');
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    for (const name of ['ConsoleUserPoolId', 'ConsoleClientId', 'ConsoleHostedUiUrl'])
      expect(
        outputs.some((o) => o.includes(name)),
        name,
      ).toBe(true);
  });
});

describe('the API’s doors', () => {
  const methodsOn = (t: Template) => {
    const json = t.toJSON();
    const resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> = json.Resources;
    const pathOf = (id: unknown): string => {
      const ref = z.object({ Ref: z.string() }).safeParse(id);
      if (!ref.success) return '';
      const r = resources[ref.data.Ref]?.Properties ?? {};
      return `${pathOf(r.ParentId)}/${String(r.PathPart)}`;
    };
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Method')
      .map((r) => ({
        path: pathOf(r.Properties?.ResourceId),
        auth: r.Properties?.AuthorizationType,
        authorizer: r.Properties?.AuthorizerId,
      }));
  };

  it('/console/v1 and /console/v1/{proxy+} answer to the Cognito authorizer only; /v1 stays IAM', () => {
    const methods = methodsOn(template);
    const consoleMethods = methods.filter((m) => m.path.startsWith('/console/v1'));
    expect(consoleMethods.map((m) => m.path).sort()).toEqual(['/console/v1', '/console/v1/{proxy+}']);
    for (const m of consoleMethods) {
      expect(m.auth).toBe('COGNITO_USER_POOLS');
      expect(m.authorizer).toBeDefined();
    }
    const v1 = methods.filter((m) => m.path === '/v1' || m.path.startsWith('/v1/'));
    expect(v1.length).toBe(2);
    for (const m of v1) expect(m).toMatchObject({ auth: 'AWS_IAM', authorizer: undefined });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ConsoleAuthUserPool'), 'Arn'] }],
    });
  });

  it('alarms when the API cannot write an audit entry', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditWriteFailed',
      Namespace: 'Touchpoint',
      Dimensions: [{ Name: 'service', Value: 'touchpoint-api' }],
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('is clean, and nothing about the user pool or the console methods is acknowledged', () => {
    expect(nag).toMatchObject({ conclusion: 'success', violations: [] });
    const cognito = (nag?.suppressedViolations ?? []).filter((v) => /COG[1-8]\b|COG[1-8]$/.test(v.ruleName));
    expect(cognito.map((v) => v.ruleName)).not.toContain('AwsSolutions-COG1');
    expect(cognito.map((v) => v.ruleName)).not.toContain('AwsSolutions-COG2');
    expect(cognito.map((v) => v.ruleName)).not.toContain('AwsSolutions-COG8');
  });
});
