// The upload bucket and importer: a private, encrypted, SSL-only bucket whose objects expire in a
// week, S3 notifying the importer for `imports/` objects only, and least-privilege grants (the
// importer reads, the API presigns puts, both on the imports prefix only).
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, SYNTH_TIMEOUT_MS } from './synth-helper.js';

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };
let resources: Record<string, Resource>;
let template: Template;

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The uploads construct's one resource of `type` (the console's hosting bucket is another). */
function only(type: string): [string, Resource] {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith('Uploads'));
  expect(found).toHaveLength(1);
  const first = found[0];
  if (!first) throw new Error(`no ${type}`);
  return first;
}

/** Policy statements mentioning an S3 action, with the role each policy is attached to. */
function s3Statements(): { roles: unknown[]; actions: string[]; resource: unknown[] }[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) =>
      list(obj(r.Properties?.PolicyDocument).Statement).map((s) => ({
        roles: list(r.Properties?.Roles),
        actions: list(obj(s).Action).map(String),
        resource: list(obj(s).Resource),
      })),
    )
    .filter((s) => s.actions.some((a) => a.startsWith('s3:')));
}

const fnIdOf = (entry: string): string => {
  const found = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['touchpoint:entry'] === entry,
  );
  if (!found) throw new Error(`no function for ${entry}`);
  return found[0];
};
const roleOf = (fnId: string): unknown => obj(obj(resources[fnId]?.Properties).Role)['Fn::GetAtt'];
/** The bucket's own name (TEST_CONTEXT envName `test`), so no grant depends on the bucket resource. */
const importsPrefix = (_bucketId: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':s3:::touchpoint-imports-test-',
      { Ref: 'AWS::AccountId' },
      '-',
      { Ref: 'AWS::Region' },
      '/imports/*',
    ],
  ],
});

/** The chunked import's work files: the same bucket, the import-work/ prefix. */
const workPrefix = () => {
  const parts = list(Reflect.get(importsPrefix(''), 'Fn::Join'))[1];
  return { 'Fn::Join': ['', list(parts).map((p) => (p === '/imports/*' ? '/import-work/*' : p))] };
};

/** A state machine's definition as JSON, its references (function ARNs, …) as "REF". */
function definitionOf(machine: Resource): {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, Record<string, unknown>>;
} {
  const def = machine.Properties?.DefinitionString;
  const parts = list(Reflect.get(obj(def), 'Fn::Join'))[1];
  const text =
    typeof def === 'string'
      ? def
      : list(parts)
          .map((p) => (typeof p === 'string' ? p : 'REF'))
          .join('');
  return JSON.parse(text);
}

beforeAll(() => {
  const { stack } = buildApp();
  template = Template.fromStack(stack);
  resources = Object.fromEntries(
    Object.entries(template.toJSON().Resources ?? {}).map(([id, r]) => {
      const o = obj(r);
      return [id, { Type: String(o.Type), Properties: obj(o.Properties), Metadata: obj(o.Metadata) }];
    }),
  );
}, SYNTH_TIMEOUT_MS);

describe('upload bucket', () => {
  it('is encrypted, blocks public access, expires uploads after 7 days', () => {
    const [, bucket] = only('AWS::S3::Bucket');
    const p = bucket.Properties ?? {};
    expect(JSON.stringify(p.BucketEncryption)).toContain('AES256');
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(list(obj(p.LifecycleConfiguration).Rules)).toContainEqual(
      expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' }),
    );
  });

  it('refuses plain HTTP in its bucket policy', () => {
    const [bucketId] = only('AWS::S3::Bucket');
    const [, policy] = only('AWS::S3::BucketPolicy');
    expect(policy.Properties?.Bucket).toEqual({ Ref: bucketId });
    expect(list(obj(policy.Properties?.PolicyDocument).Statement)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('notifies the importer of objects created under imports/ only', () => {
    const [, bucket] = only('AWS::S3::Bucket');
    const importer = fnIdOf('functions/import-upload.ts');
    expect(obj(bucket.Properties?.NotificationConfiguration).LambdaConfigurations).toEqual([
      {
        Event: 's3:ObjectCreated:*',
        Function: { 'Fn::GetAtt': [importer, 'Arn'] },
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'imports/' }] } },
      },
    ]);
    const permissions = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Permission' && r.Properties?.Principal === 's3.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    const permission = permissions[0];
    expect(permission?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [importer, 'Arn'] },
    });
    expect(JSON.stringify(permission?.Properties?.SourceArn)).toContain('touchpoint-imports-test-');
  });

  it('gives the importer 15 minutes and more memory', () => {
    const p = resources[fnIdOf('functions/import-upload.ts')]?.Properties ?? {};
    expect(p.Timeout).toBe(900);
    expect(p.MemorySize).toBeGreaterThanOrEqual(1024);
  });
});

describe('upload grants', () => {
  it('lets the importer get objects under imports/ only, and nothing else in S3', () => {
    const [bucketId] = only('AWS::S3::Bucket');
    const role = roleOf(fnIdOf('functions/import-upload.ts'));
    const mine = s3Statements().filter((s) =>
      s.roles.some((r) => JSON.stringify(r).includes(String(list(role)[0]))),
    );
    expect(mine).toEqual([
      expect.objectContaining({ actions: ['s3:GetObject'], resource: [importsPrefix(bucketId)] }),
      // The chunked import's work files (ids and problems per chunk), outside the prefix that starts imports.
      expect.objectContaining({ actions: ['s3:GetObject', 's3:PutObject'], resource: [workPrefix()] }),
    ]);
  });

  it('lets the API put objects under imports/ only (presigned URLs carry its permissions)', () => {
    const [bucketId] = only('AWS::S3::Bucket');
    const apiFn = fnIdOf('functions/api.ts');
    const role = list(roleOf(apiFn))[0];
    const mine = s3Statements().filter((s) => s.roles.some((r) => JSON.stringify(r).includes(String(role))));
    expect(mine).toEqual([
      expect.objectContaining({ actions: ['s3:PutObject'], resource: [importsPrefix(bucketId)] }),
    ]);
    const env = obj(obj(resources[apiFn]?.Properties?.Environment).Variables);
    expect(env.IMPORT_BUCKET).toEqual({ Ref: bucketId });
  });

  it('grants no other S3 action on it to anyone', () => {
    // Grants name the bucket by its name (see importsPrefix), not by the resource.
    const onUploads = s3Statements().filter((s) =>
      JSON.stringify(s.resource).includes('touchpoint-imports-test-'),
    );
    const actions = new Set(onUploads.flatMap((s) => s.actions));
    expect([...actions].sort()).toEqual(['s3:GetObject', 's3:PutObject']);
  });
});

describe('the chunked import of uploads too large for one invocation', () => {
  const machine = (): Resource => {
    const found = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::StepFunctions::StateMachine' &&
        r.Properties?.StateMachineName === 'touchpoint-imports-test',
    );
    if (!found) throw new Error('no import machine');
    return found;
  };

  it('is a Standard machine, encrypted, traced, logging transitions but no rows, with a timeout', () => {
    const p = machine().Properties ?? {};
    expect(p.StateMachineType).toBe('STANDARD');
    expect(p.EncryptionConfiguration).toEqual({ Type: 'AWS_OWNED_KEY' });
    expect(p.TracingConfiguration).toEqual({ Enabled: true });
    expect(obj(p.LoggingConfiguration)).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(definitionOf(machine()).TimeoutSeconds).toBe(6 * 3600);
  });

  it('plans, validates every chunk, checks ids across chunks, decides, then writes: inline Maps the local runner can run', () => {
    const def = definitionOf(machine());
    const { States } = def;
    expect(def.StartAt).toBe('PlanImport');
    const next = (name: string) => States[name]?.Next;
    expect(next('PlanImport')).toBe('Claimed');
    expect(next('ValidateChunks')).toBe('FindDuplicates');
    expect(next('FindDuplicates')).toBe('DecideImport');
    expect(next('DecideImport')).toBe('Valid');
    expect(next('WriteChunks')).toBe('FinishImport');
    expect(next('WriteChunksInOrder')).toBe('FinishImport');
    for (const map of ['ValidateChunks', 'WriteChunks', 'WriteChunksInOrder', 'FindDuplicates']) {
      const state = States[map] ?? {};
      expect(state.Type, map).toBe('Map');
      // Items from the state input, as aws-local-stepfunctions runs them (no ItemReader).
      expect(state.ItemReader, map).toBeUndefined();
      expect(state.ItemsPath, map).toBe(map === 'FindDuplicates' ? '$.plan.partitions' : '$.plan.chunks');
    }
    expect(States.ValidateChunks?.MaxConcurrency).toBe(10);
    expect(States.WriteChunks?.MaxConcurrency).toBe(8);
    // Contracts and events in file order, one chunk at a time.
    expect(States.WriteChunksInOrder?.MaxConcurrency).toBe(1);
    expect(JSON.stringify(States.ByKind)).toContain('"StringEquals":"customers"');
  });

  it('marks the job failed when any step fails past its retries, and a refusal is no execution failure', () => {
    const { States } = definitionOf(machine());
    for (const name of [
      'PlanImport',
      'ValidateChunks',
      'FindDuplicates',
      'DecideImport',
      'WriteChunks',
      'WriteChunksInOrder',
      'FinishImport',
    ])
      expect(States[name]?.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'MarkImportFailed' },
      ]);
    expect(States.MarkImportFailed?.Next).toBe('ImportFailed');
    expect(States.ImportFailed?.Type).toBe('Fail');
    expect(States.Refused?.Type).toBe('Succeed');
  });

  it('every step is the importer function, retried on Lambda’s transient errors and once more on a failure', () => {
    const text = JSON.stringify(definitionOf(machine()));
    const tasks = [...text.matchAll(/"step":"(\w+)"/g)].map((m) => m[1]);
    expect(new Set(tasks)).toEqual(
      new Set(['plan', 'validate', 'duplicates', 'decide', 'write', 'finish', 'fail']),
    );
    const roleId = String(list(obj(machine().Properties?.RoleArn)['Fn::GetAtt'])[0]);
    const invokes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(roleId))
      .flatMap((r) => list(obj(r.Properties?.PolicyDocument).Statement))
      .filter((st) => list(obj(st).Action).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invokes)).toContain(fnIdOf('functions/import-upload.ts'));
    expect(JSON.stringify(invokes)).not.toContain('SendBatch');
  });

  it('lets the importer start only this machine, and tells it its ARN', () => {
    const importer = fnIdOf('functions/import-upload.ts');
    const env = obj(obj(resources[importer]?.Properties?.Environment).Variables);
    expect(JSON.stringify(env.IMPORT_MACHINE_ARN)).toContain(':stateMachine:touchpoint-imports-test');
    const role = String(list(roleOf(importer))[0]);
    const starts = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(role))
      .flatMap((r) => list(obj(r.Properties?.PolicyDocument).Statement))
      .filter((st) => JSON.stringify(obj(st).Action).includes('states:'));
    expect(starts).toHaveLength(1);
    expect(obj(starts[0]).Action).toBe('states:StartExecution');
    expect(JSON.stringify(obj(starts[0]).Resource)).toContain(':stateMachine:touchpoint-imports-test');
  });

  it('raises an alarm when an import execution fails or times out, and keeps its logs a month', () => {
    const alarms = JSON.stringify(
      Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm'),
    );
    expect(alarms).toContain('chunked import execution failed');
    const logRef = JSON.stringify(obj(machine().Properties?.LoggingConfiguration));
    const group = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::Logs::LogGroup' && logRef.includes(id),
    );
    expect(group?.[1].Properties?.RetentionInDays).toBe(30);
  });
});
