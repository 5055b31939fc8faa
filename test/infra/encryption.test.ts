// Encryption at rest, asserted on the synthesized template. Every resource type in the stack is
// classified here: either it stores data and states how that data is encrypted (an explicit setting,
// or a service default that cannot be spelled out and is written down as an exemption), or it stores
// nothing. A resource type nobody classified fails, and so does a data store without its setting;
// docs/security.md names the key of every data store, and the test holds the two together.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/names.js';
import { SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

type Props = Record<string, unknown>;
type Resources = Record<string, { Type: string; Properties: Props }>;

const obj = (v: unknown): Props =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
/** The logical id a `Ref` or `Fn::GetAtt` points at. */
const target = (v: unknown): string | undefined => {
  const o = obj(v);
  if (typeof o.Ref === 'string') return o.Ref;
  const att = list(o['Fn::GetAtt']);
  return typeof att[0] === 'string' ? att[0] : undefined;
};

/** A problem with one resource's encryption at rest, or undefined when it states it. */
type Check = (p: Props, all: Resources) => string | undefined;

const kmsKeyInStack = (ref: unknown, all: Resources): boolean => {
  const id = target(ref);
  return id !== undefined && all[id]?.Type === 'AWS::KMS::Key';
};

/** Names that would hold a secret if they held a value; the stack passes ARNs and name prefixes. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PRIVATE|API_KEY/;

/**
 * Data stores: each with its check. "Exempt" checks accept the service's default key where
 * CloudFormation has no way to name it (AWS-owned keys) or where the default is the AWS-managed
 * key we chose (docs/security.md says which and why).
 */
const STORES: Record<string, Check> = {
  'AWS::DynamoDB::GlobalTable': (p) =>
    obj(p.SSESpecification).SSEEnabled === true ? undefined : 'SSESpecification.SSEEnabled is not true',
  'AWS::DynamoDB::Table': (p) =>
    obj(p.SSESpecification).SSEEnabled === true ? undefined : 'SSESpecification.SSEEnabled is not true',
  'AWS::S3::Bucket': (p) => {
    const rules = list(obj(p.BucketEncryption).ServerSideEncryptionConfiguration);
    const algorithms = rules.map((r) => obj(obj(r).ServerSideEncryptionByDefault).SSEAlgorithm);
    return algorithms.length > 0 && algorithms.every((a) => typeof a === 'string')
      ? undefined
      : 'no BucketEncryption default';
  },
  'AWS::SQS::Queue': (p) =>
    p.SqsManagedSseEnabled === true || p.KmsMasterKeyId !== undefined
      ? undefined
      : 'neither SqsManagedSseEnabled nor KmsMasterKeyId',
  'AWS::SNS::Topic': (p) => (p.KmsMasterKeyId !== undefined ? undefined : 'no KmsMasterKeyId'),
  'AWS::StepFunctions::StateMachine': (p, all) => {
    const c = obj(p.EncryptionConfiguration);
    if (c.Type === 'AWS_OWNED_KEY') return undefined;
    if (c.Type === 'CUSTOMER_MANAGED_KMS_KEY' && kmsKeyInStack(c.KmsKeyId, all)) return undefined;
    return 'no EncryptionConfiguration';
  },
  'AWS::KMS::Key': (p) => (p.EnableKeyRotation === true ? undefined : 'EnableKeyRotation is not true'),
  'AWS::ApiGateway::Stage': (p) => {
    if (p.CacheClusterEnabled !== true) return undefined;
    return list(p.MethodSettings).every((m) => obj(m).CacheDataEncrypted === true)
      ? undefined
      : 'a cache without CacheDataEncrypted';
  },
  // Exempt: always encrypted; without KmsKeyId by the AWS-managed aws/secretsmanager.
  'AWS::SecretsManager::Secret': (p, all) =>
    p.KmsKeyId === undefined || kmsKeyInStack(p.KmsKeyId, all)
      ? undefined
      : 'a KmsKeyId from outside the stack',
  // Exempt: CloudWatch Logs always encrypts log data with its own keys.
  'AWS::Logs::LogGroup': (p, all) =>
    p.KmsKeyId === undefined || kmsKeyInStack(p.KmsKeyId, all)
      ? undefined
      : 'a KmsKeyId from outside the stack',
  // Exempt: Scheduler encrypts schedules with an AWS-owned key unless KmsKeyArn names one.
  'AWS::Scheduler::Schedule': () => undefined,
  // Exempt: EventBridge encrypts events with an AWS-owned key unless KmsKeyIdentifier names one.
  'AWS::Events::EventBus': () => undefined,
  // Exempt: Cognito encrypts a user pool's users (emails, password verifiers, TOTP secrets) at rest
  // with an AWS-owned key; CloudFormation has no property to name another (docs/security.md).
  'AWS::Cognito::UserPool': () => undefined,
  // Exempt: Lambda encrypts environment variables with aws/lambda; they hold no secret value.
  'AWS::Lambda::Function': (p) => {
    const vars = obj(obj(p.Environment).Variables);
    const leaking = Object.entries(vars).filter(
      ([name, value]) =>
        SECRET_NAME.test(name) &&
        typeof value === 'string' &&
        !/_(ARN|PREFIX)$/.test(name) &&
        !/^\d+$/.test(value),
    );
    return leaking.length === 0
      ? undefined
      : `a secret-looking value in ${leaking.map(([n]) => n).join(', ')}`;
  },
};

/** Types that hold configuration or policy only: nothing to encrypt at rest. */
const STORES_NOTHING = new Set([
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::CDK::Metadata',
  // The console (infra/constructs/console-hosting.ts): its distribution caches only the public build
  // (the /console/v1 behavior caches nothing); a viewer function, a headers policy and an origin access
  // control are configuration; the deployment custom resource copies the build at deploy time, and its
  // layer is the AWS CLI's code.
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::Function',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'Custom::CDKBucketDeployment',
  'AWS::Lambda::LayerVersion',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolGroup',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Events::Rule',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::KMS::Alias',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Permission',
  'AWS::S3::BucketPolicy',
  'AWS::SES::ConfigurationSet',
  'AWS::SES::ConfigurationSetEventDestination',
  'AWS::SES::EmailIdentity',
  'AWS::SMSVOICE::ConfigurationSet',
  'AWS::SNS::Subscription',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
]);

/** Every resource that stores data without stating its encryption, and every unclassified type. */
function atRestProblems(all: Resources): string[] {
  return Object.entries(all).flatMap(([id, r]) => {
    const check = STORES[r.Type];
    if (check) {
      const problem = check(r.Properties, all);
      return problem ? [`${id} (${r.Type}): ${problem}`] : [];
    }
    return STORES_NOTHING.has(r.Type)
      ? []
      : [`${id}: ${r.Type} is not classified: say in docs/security.md what it stores and with which key`];
  });
}

/** Which AWS services publish to which topics: alarm actions (CloudWatch), topic policies' service principals. */
function servicePublishers(all: Resources): { topic: string; service: string }[] {
  const found = new Map<string, { topic: string; service: string }>();
  const add = (topic: string | undefined, service: string) => {
    if (topic !== undefined && all[topic]?.Type === 'AWS::SNS::Topic')
      found.set(`${topic} ${service}`, { topic, service });
  };
  for (const r of Object.values(all)) {
    if (r.Type === 'AWS::CloudWatch::Alarm')
      for (const action of [...list(r.Properties.AlarmActions), ...list(r.Properties.OKActions)])
        add(target(action), 'cloudwatch.amazonaws.com');
    if (r.Type === 'AWS::SNS::TopicPolicy')
      for (const s of list(obj(r.Properties.PolicyDocument).Statement)) {
        const service = obj(obj(s).Principal).Service;
        if (obj(s).Effect === 'Allow' && typeof service === 'string')
          for (const topic of list(r.Properties.Topics)) add(target(topic), service);
      }
  }
  return [...found.values()];
}

/** Whether `principal` may do `action` by this statement list (the key's or the topic's policy). */
const allows = (statements: unknown[], service: string, action: string): boolean =>
  statements.some((s) => {
    const st = obj(s);
    return (
      st.Effect === 'Allow' &&
      list(obj(st.Principal).Service).includes(service) &&
      list(st.Action).includes(action)
    );
  });

let resources: Resources;
let securityDoc: string;

beforeAll(() => {
  const json = obj(synthTemplate().template.toJSON());
  resources = Object.fromEntries(
    Object.entries(obj(json.Resources)).map(([id, r]) => [
      id,
      { Type: String(obj(r).Type), Properties: obj(obj(r).Properties) },
    ]),
  );
  securityDoc = readFileSync(join(PROJECT_ROOT, 'docs', 'security.md'), 'utf8');
}, SYNTH_TIMEOUT_MS);

describe('encryption at rest', () => {
  it('states how every data-storing resource is encrypted, and classifies every resource type', () => {
    expect(atRestProblems(resources)).toEqual([]);
    // The walk has something to walk: each kind of store is in the stack.
    const types = new Set(Object.values(resources).map((r) => r.Type));
    for (const t of [
      'AWS::DynamoDB::GlobalTable',
      'AWS::S3::Bucket',
      'AWS::SQS::Queue',
      'AWS::SNS::Topic',
      'AWS::StepFunctions::StateMachine',
      'AWS::SecretsManager::Secret',
      'AWS::Logs::LogGroup',
    ])
      expect(types.has(t), t).toBe(true);
  });

  it('fails a data store that states no encryption, and a resource type nobody classified', () => {
    const broken: Resources = {
      ...resources,
      PlainQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
      PlainMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: '{}' } },
      PlainBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      NewArchive: { Type: 'AWS::Events::Archive', Properties: {} },
    };
    const before = new Set(atRestProblems(resources));
    const problems = atRestProblems(broken).filter((p) => !before.has(p));
    expect(problems).toHaveLength(4);
    for (const id of ['PlainQueue', 'PlainMachine', 'PlainBucket', 'NewArchive'])
      expect(
        problems.some((p) => p.startsWith(`${id}`)),
        id,
      ).toBe(true);
  });

  it('names the key of every data-storing resource type in docs/security.md', () => {
    const missing = Object.keys(STORES).filter((type) => !securityDoc.includes(`\`${type}\``));
    expect(missing).toEqual([]);
  });

  it('states the run machine’s key (execution history), not the default', () => {
    const machines = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThan(0);
    for (const m of machines) expect(obj(m.Properties.EncryptionConfiguration).Type).toBe('AWS_OWNED_KEY');
  });
});

describe('topics AWS services publish to', () => {
  it('lets CloudWatch deliver alarms to the encrypted alarm topic (alias/aws/sns admits no service, so none arrived)', () => {
    const publishers = servicePublishers(resources);
    // Alarms publish as CloudWatch; SMS events and inbound SMS as End User Messaging.
    expect(new Set(publishers.map((p) => p.service))).toEqual(
      new Set(['cloudwatch.amazonaws.com', 'sms-voice.amazonaws.com']),
    );
    for (const { topic, service } of publishers) {
      const props = resources[topic]?.Properties ?? {};
      const keyId = target(props.KmsMasterKeyId);
      const key = keyId === undefined ? undefined : resources[keyId];
      expect(key?.Type, `${topic}: encrypted with a key of this stack, not alias/aws/sns`).toBe(
        'AWS::KMS::Key',
      );
      const keyPolicy = list(obj(key?.Properties.KeyPolicy).Statement);
      for (const action of ['kms:GenerateDataKey*', 'kms:Decrypt'])
        expect(allows(keyPolicy, service, action), `${topic}: ${service} ${action}`).toBe(true);
      const topicPolicy = Object.values(resources)
        .filter(
          (r) =>
            r.Type === 'AWS::SNS::TopicPolicy' && list(r.Properties.Topics).some((t) => target(t) === topic),
        )
        .flatMap((r) => list(obj(r.Properties.PolicyDocument).Statement));
      // A topic policy replaces SNS's default one, which let the account's services publish.
      expect(allows(topicPolicy, service, 'sns:Publish'), `${topic}: ${service} sns:Publish`).toBe(true);
    }
  });
});
