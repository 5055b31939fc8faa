import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp, TEST_CONTEXT } from './synth-helper.js';

interface Statement {
  actions: string[];
  resources: unknown[];
}

function statements(template: Template): Statement[] {
  const docs = [
    ...Object.values(template.findResources('AWS::IAM::Policy')).map((r) =>
      Reflect.get(Object(Reflect.get(r, 'Properties')), 'PolicyDocument'),
    ),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r) => {
      const inline = Reflect.get(Object(Reflect.get(r, 'Properties')), 'Policies');
      return Array.isArray(inline)
        ? inline.map((p: unknown) => Reflect.get(Object(p), 'PolicyDocument'))
        : [];
    }),
  ];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  return docs.flatMap((doc) =>
    list(Reflect.get(Object(doc), 'Statement')).map((s) => ({
      actions: list(Reflect.get(Object(s), 'Action')).map(String),
      resources: list(Reflect.get(Object(s), 'Resource')),
    })),
  );
}

// ses:GetAccount reads the account's send quota: account-level, it has no resource to name.
const DATA_ACTION = /^(dynamodb:|ses:(?!GetAccount$)|sms-voice:|events:PutEvents$|states:StartExecution$)/;

describe('IAM', () => {
  it('scopes every data action to named resources, never *', () => {
    const { stack } = buildApp();
    const all = statements(Template.fromStack(stack));
    const data = all.filter((s) => s.actions.some((a) => DATA_ACTION.test(a)));
    // Every kind of data action is present, so the check below has something to check.
    for (const expected of [
      'dynamodb:PutItem',
      'ses:SendEmail',
      'sms-voice:SendTextMessage',
      'events:PutEvents',
      'states:StartExecution',
    ]) {
      expect(
        data.some((s) => s.actions.includes(expected)),
        expected,
      ).toBe(true);
    }
    for (const s of data) expect(s.resources, s.actions.join(',')).not.toContain('*');
  });
});

describe('cdk-nag AwsSolutions', () => {
  const outdirs: string[] = [];
  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });
  const appIn = () => {
    const outdir = mkdtempSync(join(tmpdir(), 'touchpoint-nag-'));
    outdirs.push(outdir);
    return { outdir, ...buildApp(TEST_CONTEXT, outdir) };
  };

  it('passes synth with no unacknowledged finding, every acknowledgment narrow and explained', () => {
    const { app, outdir } = appIn();
    expect(() => app.synth()).not.toThrow();
    const report = ValidationReport.parse(
      JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')),
    );
    const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag).toMatchObject({ conclusion: 'success', violations: [] });
    const accepted = nag?.suppressedViolations ?? [];
    expect(accepted.length).toBeGreaterThan(0);
    for (const v of accepted) {
      expect(v.reason.length, v.ruleName).toBeGreaterThan(20);
      // Only wildcards AWS requires (X-Ray, log delivery), a function's versions (never a table's indexes:
      // each index a function queries is named),
      // the partner secrets' name prefix, the run machine's executions (the API's DescribeExecution, the
      // Distributed Map's child executions), DLQs cdk-nag does not recognise
      // as DLQs, the webhook route (partners authenticate by signature, not IAM or Cognito), and the
      // uploads bucket's imports/ prefix and its missing access logs (objects live 7 days); the console's
      // distribution (CFR1–4: no geo restriction, WAF, logs, custom certificate; each explained) and
      // BucketDeployment's CDK-made grants and runtime (infra/constructs/console-hosting.ts).
      expect(v.ruleName).toMatch(
        /^AwsSolutions-(IAM5\[Resource::(\*|<(Runs|Uploads)\w+Fn\w+\.Arn>:\*|arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:touchpoint\/[\w-]+\/partners\/\*|arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:(<RunsRunMachine\w+\.Name>|\{"Fn::Select":\[6,\{"Fn::Split":\[":",\{"Ref":"RunsRunMachine\w+"\}\]\}\]\}(\/\*)?):\*|arn:<AWS::Partition>:s3:::touchpoint-imports-[\w-]+-<AWS::AccountId>-<AWS::Region>\/(imports|import-work)\/\*)\]|IAM5\[Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*\]|IAM5\[Resource::(<ConsoleSite\w+\.Arn>\/\*|arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>\/\*)\]|CFR[1-4]|L1|SQS3|S1|SMG4|APIG3|APIG4|APIG6|COG4)$/,
      );
    }
  });

  it('keeps no stale acknowledgment: each one still suppresses a finding on the construct it names', () => {
    const { app, outdir } = appIn();
    app.synth();
    const report = ValidationReport.parse(
      JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')),
    );
    const used = new Set(
      report.pluginReports
        .flatMap((p) => p.suppressedViolations ?? [])
        .map((v) => `${v.acknowledgedAt} ${v.acknowledgedId}`),
    );
    const made = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.keys(Object(m.data)).map((id) => `${c.node.path} ${id}`)),
      );
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((a) => !used.has(a))).toEqual([]);
  });

  it('acknowledges Resource::* only for actions AWS grants on * alone', () => {
    const { stack } = buildApp();
    const onStar = statements(Template.fromStack(stack))
      .filter((s) => s.resources.includes('*'))
      .flatMap((s) => s.actions);
    expect(onStar.length).toBeGreaterThan(0);
    expect([...new Set(onStar.filter((a) => !ONLY_ON_STAR.has(a)))]).toEqual([]);
  });

  it('fails the synth on a new unacknowledged finding', () => {
    const { app, stack } = appIn();
    new Queue(stack, 'PlainQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});

/**
 * What the `Resource::*` acknowledgments cover: actions with no resource to name (X-Ray, the
 * account's SES quota, listing secrets, CloudWatch Logs' vended log delivery for the state machine).
 */
const ONLY_ON_STAR = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'ses:GetAccount',
  'secretsmanager:ListSecrets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

const ValidationReport = z.object({
  pluginReports: z.array(
    z.object({
      pluginName: z.string(),
      conclusion: z.string(),
      violations: z.array(z.unknown()),
      suppressedViolations: z
        .array(
          z.object({
            ruleName: z.string(),
            reason: z.string(),
            acknowledgedId: z.string().optional(),
            acknowledgedAt: z.string().optional(),
          }),
        )
        .optional(),
    }),
  ),
});
