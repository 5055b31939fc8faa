// Nothing asynchronous is dropped silently: every path that delivers without a caller waiting
// (Lambda's async invocations, bus rule targets, schedules, SNS subscriptions) ends in a dead-letter
// queue that is encrypted, alarmed and documented with its redrive (docs/dead-letters.md), and
// every log group keeps its logs for a stated time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT_HANDLER_ID_PREFIX } from '../../infra/constructs/console-hosting.js';
import { PROJECT_ROOT } from '../../infra/constructs/house-function.js';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

type Template = ReturnType<typeof synthTemplate>['template'];
let template: Template;
beforeAll(() => {
  template = synthTemplate({ ...TEST_CONTEXT, api: JSON.stringify({ wafRateLimit: 1000 }) }).template;
}, SYNTH_TIMEOUT_MS);

const queueIds = () => resourcesOfType(template, 'AWS::SQS::Queue').map(([id]) => id);
const refOf = (v: unknown): string | undefined => {
  const getAtt = Reflect.get(Object(v), 'Fn::GetAtt');
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
};

describe('every asynchronous path ends in a dead-letter queue', () => {
  it('every function has one (its asynchronous invocations: bus targets, S3 notifications, SNS)', () => {
    // BucketDeployment's handler answers CloudFormation, which fails the deploy if it does not.
    for (const [id, p] of resourcesOfType(template, 'AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith(DEPLOYMENT_HANDLER_ID_PREFIX),
    ))
      expect(queueIds(), id).toContain(refOf(Reflect.get(Object(p.DeadLetterConfig), 'TargetArn')));
  });

  it('every bus rule target, schedule target and SNS subscription has one', () => {
    for (const [id, p] of resourcesOfType(template, 'AWS::Events::Rule'))
      for (const t of Array.isArray(p.Targets) ? p.Targets : [])
        expect(queueIds(), id).toContain(
          refOf(Reflect.get(Object(Reflect.get(Object(t), 'DeadLetterConfig')), 'Arn')),
        );
    for (const [id, p] of resourcesOfType(template, 'AWS::Scheduler::Schedule')) {
      const target = Object(p.Target);
      expect(queueIds(), id).toContain(
        refOf(Reflect.get(Object(Reflect.get(target, 'DeadLetterConfig')), 'Arn')),
      );
    }
    for (const [id, p] of resourcesOfType(template, 'AWS::SNS::Subscription'))
      if (p.Protocol === 'lambda')
        expect(queueIds(), id).toContain(refOf(Reflect.get(Object(p.RedrivePolicy), 'deadLetterTargetArn')));
  });

  it('every queue is encrypted, keeps 14 days, raises an alarm when it fills, and has its redrive in docs/dead-letters.md', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'dead-letters.md'), 'utf8');
    const alarms = JSON.stringify(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [id, p] of queues) {
      expect(p.SqsManagedSseEnabled === true || p.KmsMasterKeyId !== undefined, id).toBe(true);
      expect(p.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
      expect(alarms, `${id} has a depth alarm`).toContain(id);
      // Logical ids end in an 8-character hash; the doc names the stable prefix.
      expect(doc, `${id} is documented`).toContain(`\`${id.slice(0, -8)}\``);
    }
  });
});

describe('logs', () => {
  it('every log group keeps its logs for a stated time', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const [id, p] of groups) expect(typeof p.RetentionInDays, id).toBe('number');
  });
});
