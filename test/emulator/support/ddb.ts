// A fresh table per test file, created from the REAL Store construct's synthesized template
// (test/emulator/support/store-template.ts, run once by the global setup).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { type CfnTemplate, cfnTemplateSchema, ensureTables } from '../../../local/assembly-tables.js';
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
