// A fresh table per test file, created from the REAL Store construct's synthesized template
// (test/emulator/support/store-template.ts, run once by the global setup).
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { type CfnTemplate, cfnTemplateSchema, ensureTables } from '../../../local/assembly-tables.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../../local/dynamodb-local.js';
import { LOCAL_AWS } from '../../../local/runtime.js';
import type { Clock } from '../../../shared/ports/clock.js';
import { type DynamoStores, dynamoStores } from '../../../shared/store/stores.js';

/** The REAL Store construct's template, synthesized once by the global setup. */
export const storeTemplate = (): CfnTemplate => cfnTemplateSchema.parse(inject('storeTemplate'));

export function ddbClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject('ddbEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function createTestStore(opts: { clock?: Clock } = {}): Promise<{
  store: DynamoStores;
  client: DynamoDBDocumentClient;
  tableName: string;
}> {
  const base = ddbClient();
  const tables = await ensureTables(base, storeTemplate(), {
    tableNamePrefix: `t${randomUUID().slice(0, 8)}-`,
  });
  const tableName = [...tables.values()][0];
  if (tables.size !== 1 || !tableName)
    throw new Error(`expected the Store construct to make one table, got ${tables.size}`);
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { store: dynamoStores({ client, tableName, ...opts }), client, tableName };
}

/**
 * A DynamoDB Local of the test file's own, started before its tests and stopped after them, for the
 * tests that add a GSI by UpdateTable: in the shared instance, late in the emulator tier, such an
 * index was seen to stay CREATING past a minute (in CI, never alone).
 */
export function ownDynamoDbLocal(): {
  base: () => DynamoDBClient;
  client: () => DynamoDBDocumentClient;
  /** The table's GSI names, sorted. */
  indexNames: (tableName: string) => Promise<string[]>;
} {
  let ddb: DynamoDbLocal | undefined;
  let base: DynamoDBClient | undefined;
  let client: DynamoDBDocumentClient | undefined;
  beforeAll(async () => {
    ddb = await startDynamoDbLocal({});
    base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
    client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  });
  afterAll(async () => {
    base?.destroy();
    await ddb?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('ownDynamoDbLocal: used before its beforeAll ran');
    return value;
  };
  return {
    base: () => started(base),
    client: () => started(client),
    indexNames: async (tableName) =>
      (
        (await started(base).send(new DescribeTableCommand({ TableName: tableName }))).Table
          ?.GlobalSecondaryIndexes ?? []
      )
        .flatMap((g) => (g.IndexName === undefined ? [] : [g.IndexName]))
        .sort(),
  };
}
