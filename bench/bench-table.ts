// The benchmarks' table: the synthesized Store construct's table, made on the bench's own DynamoDB
// Local under a fresh name, and the store over it.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CfnTemplate, ensureTables } from '../local/assembly-tables.js';
import { type DynamoStores, dynamoStores } from '../shared/store/stores.js';
import type { BulkWrites } from '../shared/store/table.js';

/** Makes the template's table named `<prefix><now>-…` (no prefix: the template's own name) and returns its name. */
export async function createBenchTable(
  base: DynamoDBClient,
  template: CfnTemplate,
  prefix?: string,
): Promise<string> {
  const tables = await ensureTables(
    base,
    template,
    prefix === undefined ? {} : { tableNamePrefix: `${prefix}${Date.now()}-` },
  );
  const tableName = [...tables.values()][0];
  if (!tableName) throw new Error('the synthesized template has no table');
  return tableName;
}

/** A fresh table and the document client and stores over it. */
export async function benchTable(
  base: DynamoDBClient,
  template: CfnTemplate,
  prefix?: string,
  bulkWrites?: BulkWrites,
): Promise<{ client: DynamoDBDocumentClient; tableName: string; store: DynamoStores }> {
  const tableName = await createBenchTable(base, template, prefix);
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { client, tableName, store: dynamoStores({ client, tableName, ...(bulkWrites && { bulkWrites }) }) };
}
