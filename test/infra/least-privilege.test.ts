// Least privilege, asserted on the synthesized template: each function's role grants what its
// handler does and nothing more. The expected sets below are written from reading each handler
// (functions/<name>.ts), the use cases it runs and the adapters it builds (shared/store/*,
// shared/partners/secrets-manager.ts), not copied from infra/constructs/table-access.ts: a grant
// that drifts from what a handler does fails here, and so does a handler that starts a new call.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT_HANDLER_ID_PREFIX } from '../../infra/constructs/console-hosting.js';
import { newPartner, newSecret } from '../../shared/partners/secrets.js';
import { SecretsManagerPartnerStore } from '../../shared/partners/secrets-manager.js';
import { SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

type Role =
  | 'select-run'
  | 'plan-run'
  | 'send-batch'
  | 'summarize-run'
  | 'ingest-event'
  | 'delivery-events'
  | 'import-upload'
  | 'inbound-sms'
  | 'api';

const ROLES: Role[] = [
  'select-run',
  'plan-run',
  'send-batch',
  'summarize-run',
  'ingest-event',
  'delivery-events',
  'import-upload',
  'inbound-sms',
  'api',
];

const PLANNING = [
  // The KEYS_ONLY customer day indexes: read only while a migrating stack builds their profile
  // indexes (docs/table-design.md, "Migrating the customer day indexes").
  'byBirthday',
  'byBirthdayProfile',
  'byChannelDay',
  'byContractEnd',
  'byContractStart',
  'byEventDay',
  'byLastActivity',
  'byLastActivityProfile',
];

/**
 * DynamoDB actions on the table, and the indexes queried, per function (TransactWriteItems items
 * are authorized as PutItem/UpdateItem/…; BatchWriteItem covers both its puts and its deletes).
 */
const TABLE: Record<Role, { actions: string[]; indexes: string[] }> = {
  // startRun: firstScheduledDate (Get), completedDates (Query), putRunMeta (Put).
  'select-run': { actions: ['GetItem', 'PutItem', 'Query'], indexes: [] },
  // planRun: settings and run meta (Get), profiles, ledger rows, suppressions (BatchGet), campaigns
  // and stale suppressed chunks (Query), recordSuppressed and putRunMeta (Put), batches and the
  // suppressed list, stale chunks deleted (BatchWrite); the due and cap indexes; exposure units
  // (Put) and the results counters (Update).
  'plan-run': {
    actions: ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    indexes: PLANNING,
  },
  // sendBatch: batch, campaign, held row (Get), profiles (BatchGet), reserve/expired/suppressed
  // (conditional Put), settle and results (conditional Update), the results counters (transactional
  // Put and Update). No Query, no index.
  'send-batch': { actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'], indexes: [] },
  // runReport + completeRun: meta, settings, campaigns (Get), its items (Query), meta and first date
  // (Put), dates (BatchWrite); the results counters and their once-marker (transactional Put, Update).
  'summarize-run': { actions: ['BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'], indexes: [] },
  // ingestEvent → Documents.putEvents, then attribution (campaigns and the customer's touches: Query).
  'ingest-event': {
    actions: ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    indexes: [],
  },
  // applyDeliveryFeedback: lookup and row (Get), timeline (Update), suppression (Get, Put), consent
  // (Get, Put, Update), reputation buckets (Update, Query).
  'delivery-events': { actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'], indexes: [] },
  // runImportJob: the job (Get, Update) and Documents' customer, contract and event writes; attribution.
  'import-upload': {
    actions: ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    indexes: [],
  },
  // receiveSms: the sender's customers by phone (byPhone Query, profile Get), consent (Get, conditional
  // Update, history Put), sms.reply through Documents.putEvents and its attribution (Query), the
  // message's receipt (Put).
  'inbound-sms': {
    actions: ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    indexes: ['byPhone'],
  },
  // Every /v1 route and the webhooks: removeSuppression is the one DeleteItem; erasure batch-deletes.
  api: {
    actions: ['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    indexes: [...PLANNING, 'byCampaign', 'byPhone', 'byEmail'].sort(),
  },
};

const SES = 'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>';
const SENDER = [
  `${SES}:configuration-set/<MessagingEmailConfigurationSet>`,
  `${SES}:identity/hello@mail.touchpoint-shop.de`,
  `${SES}:identity/mail.touchpoint-shop.de`,
];
const SMS = ['arn:aws:sms-voice:eu-central-1:123456789012:phone-number/phone-0123456789abcdef'];
const PARTNERS =
  'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:touchpoint/test/partners/*';
const IMPORTS = [
  'arn:<AWS::Partition>:s3:::touchpoint-imports-test-<AWS::AccountId>-<AWS::Region>/imports/*',
];
const IMPORT_WORK =
  'arn:<AWS::Partition>:s3:::touchpoint-imports-test-<AWS::AccountId>-<AWS::Region>/import-work/*';

/** Every other action each function may take, with its resources (logical ids without their hash). */
const SERVICES: Record<Role, Record<string, string[]>> = {
  'select-run': {},
  'plan-run': {},
  // Sends email and SMS (the quota read is account-level); signs unsubscribe links. Publishes nothing.
  'send-batch': {
    'ses:SendEmail': SENDER,
    'ses:GetAccount': ['*'],
    // The SMS configuration set too: sends name it, so its SNS destination reports their delivery.
    'sms-voice:SendTextMessage': ['<MessagingSmsConfigurationSet.Arn>', ...SMS],
    'secretsmanager:GetSecretValue': ['<SecretsUnsubscribeKey>'],
  },
  'summarize-run': {},
  'ingest-event': {},
  'delivery-events': {},
  // The chunked import (docs/imports-at-scale.md): its work files, and starting its own machine.
  'import-upload': {
    's3:GetObject': [IMPORT_WORK, ...IMPORTS],
    's3:PutObject': [IMPORT_WORK],
    'states:StartExecution': [
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:touchpoint-imports-test',
    ],
  },
  // Keyword answers from the configured number.
  'inbound-sms': { 'sms-voice:SendTextMessage': SMS },
  // Test sends; webhooks onto the bus; unsubscribe and pseudonym keys; partner secrets (add,
  // rotate, list, verify); run now and its status; presigned upload URLs.
  api: {
    'ses:SendEmail': SENDER,
    'ses:GetAccount': ['*'],
    'sms-voice:SendTextMessage': SMS,
    'events:PutEvents': ['<MessagingBus.Arn>'],
    'secretsmanager:GetSecretValue': ['<SecretsPseudonymKey>', '<SecretsUnsubscribeKey>', PARTNERS],
    'secretsmanager:CreateSecret': [PARTNERS],
    'secretsmanager:PutSecretValue': [PARTNERS],
    'secretsmanager:TagResource': [PARTNERS],
    'secretsmanager:ListSecrets': ['*'],
    'states:StartExecution': ['<RunsRunMachine>'],
    'states:DescribeExecution': [
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<RunsRunMachine.Name>:*',
    ],
    's3:PutObject': IMPORTS,
  },
};

/** What every house function has: its own log group and DLQ, and X-Ray (which takes only *). */
const HOUSE = new Set([
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'sqs:SendMessage',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
]);

interface Grant {
  action: string;
  resource: string;
  condition: unknown;
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** A resource as text: `<Id.Attr>`, `<Id>`, joins spelled out; logical ids lose their hash suffix. */
function render(r: unknown): string {
  if (typeof r === 'string') return r;
  const o = obj(r);
  const getAtt = list(o['Fn::GetAtt']);
  if (getAtt.length === 2) return `<${String(getAtt[0])}.${String(getAtt[1])}>`;
  if (typeof o.Ref === 'string') return `<${o.Ref}>`;
  const join = list(o['Fn::Join']);
  if (join.length === 2) return list(join[1]).map(render).join(String(join[0]));
  return JSON.stringify(r);
}
const normalize = (text: string) => text.replace(/([A-Za-z])[0-9A-F]{8}(?=[.>])/g, '$1');

let resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata: unknown }>;
const grants = new Map<Role, Grant[]>();
/** Every statement of every policy in the template, whoever holds it. */
let allGrants: Grant[];

function grantsOfPolicies(match: (roles: unknown[]) => boolean): Grant[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && match(list(r.Properties.Roles)))
    .flatMap((r) => list(obj(r.Properties.PolicyDocument).Statement))
    .flatMap((s) =>
      list(obj(s).Action).flatMap((action) =>
        list(obj(s).Resource).map((res) => ({
          action: String(action),
          resource: normalize(render(res)),
          condition: obj(s).Condition,
        })),
      ),
    );
}

beforeAll(() => {
  const json = obj(synthTemplate().template.toJSON());
  resources = Object.fromEntries(
    Object.entries(obj(json.Resources)).map(([id, r]) => [
      id,
      { Type: String(obj(r).Type), Properties: obj(obj(r).Properties), Metadata: obj(r).Metadata },
    ]),
  );
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    // BucketDeployment's handler: its grants are asserted in console-hosting.test.ts.
    if (id.startsWith(DEPLOYMENT_HANDLER_ID_PREFIX)) continue;
    const entry = String(obj(r.Metadata)['touchpoint:entry']);
    const role = ROLES.find((name) => entry === `functions/${name}.ts`);
    if (!role) throw new Error(`a function with no expectations: ${entry}`);
    const roleId = String(list(obj(r.Properties.Role)['Fn::GetAtt'])[0]);
    grants.set(
      role,
      grantsOfPolicies((roles) => roles.some((x) => obj(x).Ref === roleId)),
    );
  }
  allGrants = grantsOfPolicies(() => true);
}, SYNTH_TIMEOUT_MS);

const of = (role: Role): Grant[] => grants.get(role) ?? [];
const dynamo = (role: Role) => of(role).filter((g) => g.action.startsWith('dynamodb:'));
const TABLE_ARN = '<StoreTable.Arn>';
const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

describe('DynamoDB grants', () => {
  it('has a role for every function, and expectations for every role', () => {
    expect(sorted(grants.keys())).toEqual(sorted(ROLES));
  });

  it('no function (no role at all) may Scan the table or an index, nor hold dynamodb:*', () => {
    const wide = allGrants.filter((g) => /^dynamodb:(Scan|\*|.*\*)/.test(g.action));
    expect(wide).toEqual([]);
    // Nor the table grants' other extras: table metadata, streams, PartiQL.
    const extras = allGrants.filter((g) =>
      /^dynamodb:(DescribeTable|GetRecords|GetShardIterator|DescribeStream|ListStreams|PartiQL)/.test(
        g.action,
      ),
    );
    expect(extras).toEqual([]);
  });

  it('only the api may DeleteItem (DELETE /v1/suppressions); no other function deletes an item', () => {
    const deleters = ROLES.filter((r) => dynamo(r).some((g) => g.action === 'dynamodb:DeleteItem'));
    expect(deleters).toEqual(['api']);
  });

  it('lets only the functions that batch-write hold BatchWriteItem (it deletes as well as puts)', () => {
    // plan-run replaces a run's suppressed list (stale chunks deleted), the api erases a customer;
    // the others only put. IAM cannot tell a batch put from a batch delete.
    const batchWriters = ROLES.filter((r) => dynamo(r).some((g) => g.action === 'dynamodb:BatchWriteItem'));
    expect(batchWriters).toEqual([
      'plan-run',
      'summarize-run',
      'ingest-event',
      'import-upload',
      'inbound-sms',
      'api',
    ]);
  });

  for (const role of ROLES) {
    it(`${role}: exactly the actions its handler makes, on the table ARN`, () => {
      const onTable = dynamo(role).filter((g) => g.resource === TABLE_ARN);
      expect(sorted(onTable.map((g) => g.action.slice('dynamodb:'.length)))).toEqual(TABLE[role].actions);
    });

    it(`${role}: Query on the indexes it reads, each by name, and nothing else on an index`, () => {
      const elsewhere = dynamo(role).filter((g) => g.resource !== TABLE_ARN);
      for (const g of elsewhere) {
        expect(g.action, g.resource).toBe('dynamodb:Query');
        expect(g.resource).toMatch(/^<StoreTable\.Arn>\/index\/\w+$/);
      }
      expect(sorted(elsewhere.map((g) => g.resource.replace(`${TABLE_ARN}/index/`, '')))).toEqual(
        TABLE[role].indexes,
      );
    });
  }
});

describe('other services', () => {
  for (const role of ROLES) {
    it(`${role}: no action beyond what its handler calls, each on the expected resources`, () => {
      const own = of(role).filter((g) => !g.action.startsWith('dynamodb:') && !HOUSE.has(g.action));
      const actual: Record<string, string[]> = {};
      for (const g of own) actual[g.action] = sorted([...(actual[g.action] ?? []), g.resource]);
      const expected = Object.fromEntries(
        Object.entries(SERVICES[role]).map(([action, rs]) => [action, sorted(rs)]),
      );
      expect(actual).toEqual(expected);
    });

    it(`${role}: the house grants stay on its own log group and DLQ`, () => {
      for (const g of of(role).filter((x) => HOUSE.has(x.action))) {
        if (g.action.startsWith('logs:')) expect(g.resource).toMatch(/^<\w+Logs\.Arn>$/);
        if (g.action === 'sqs:SendMessage') expect(g.resource).toMatch(/^<\w+Dlq\.Arn>$/);
        if (g.action.startsWith('xray:')) expect(g.resource).toBe('*');
      }
    });
  }

  it('lets the api tag a partner secret only with the tag the partner store writes', async () => {
    const tagging = of('api').filter((g) => g.action === 'secretsmanager:TagResource');
    expect(tagging).toHaveLength(1);
    const allowed = list(obj(obj(tagging[0]?.condition)['ForAllValues:StringEquals'])['aws:TagKeys']);
    expect(allowed.length).toBeGreaterThan(0);

    // Every call the cloud partner store makes, as the IAM actions it needs.
    const sm = mockClient(SecretsManagerClient);
    const versions = new Map<string, string>();
    sm.on(CreateSecretCommand).callsFake((input: { Name: string; SecretString: string }) => {
      versions.set(input.Name, input.SecretString);
      return {};
    });
    sm.on(PutSecretValueCommand).callsFake((input: { SecretId: string; SecretString: string }) => {
      versions.set(input.SecretId, input.SecretString);
      return {};
    });
    sm.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => {
      const value = versions.get(input.SecretId);
      return value === undefined ? {} : { SecretString: value, VersionId: `v${value.length}` };
    });
    sm.on(ListSecretsCommand).callsFake(() => ({
      SecretList: [...versions.keys()].map((Name) => ({ Name })),
    }));
    const now = new Date('2026-12-01T00:00:00Z');
    const store = new SecretsManagerPartnerStore({
      client: new SecretsManagerClient({}),
      prefix: 'touchpoint/test',
      clock: { now: () => now },
    });
    await store.addPartner(newPartner('acme', now));
    await store.rotatePartnerSecret('acme', newSecret(now), 3_600_000);
    // `partner revoke` cuts every secret off with a new version (PutSecretValue), deleting nothing.
    await store.revokePartnerSecrets('acme');
    await store.listPartners();
    await store.getPartner('acme');

    const needed = new Map<string, Set<string>>();
    for (const call of sm.calls()) {
      const command = call.args[0];
      const action = `secretsmanager:${command.constructor.name.replace(/Command$/, '')}`;
      needed.set(action, new Set());
      const tags = list(obj(command.input).Tags).map((t) => String(obj(t).Key));
      if (tags.length > 0) needed.set('secretsmanager:TagResource', new Set(tags));
    }
    sm.restore();
    expect(sorted(needed.keys())).toEqual([
      'secretsmanager:CreateSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:ListSecrets',
      'secretsmanager:PutSecretValue',
      'secretsmanager:TagResource',
    ]);
    for (const action of needed.keys()) {
      expect(
        of('api').some((g) => g.action === action),
        action,
      ).toBe(true);
    }
    expect(sorted(allowed.map(String))).toEqual(sorted(needed.get('secretsmanager:TagResource') ?? []));
  });
});
