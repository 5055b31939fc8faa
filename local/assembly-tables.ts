// Creates the DynamoDB tables of a synthesized CloudFormation template, so the local store has
// exactly the keys and indexes the cloud has (DESIGN decision 3: local and cloud cannot drift).
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';

export const cfnTemplateSchema = z.object({
  Resources: z.record(
    z.string(),
    z.object({
      Type: z.string(),
      Properties: z.record(z.string(), z.unknown()).optional(),
      Metadata: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
export type CfnTemplate = z.infer<typeof cfnTemplateSchema>;

export class TemplateTableError extends Error {
  constructor(
    readonly logicalId: string,
    readonly detail: string,
  ) {
    super(`table ${logicalId} in the template cannot be created locally: ${detail}`);
    this.name = 'TemplateTableError';
  }
}

export class TableNotActiveError extends Error {
  constructor(readonly tableName: string) {
    super(`table ${tableName} did not become ACTIVE in time`);
    this.name = 'TableNotActiveError';
  }
}

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) })).min(1);
const projection = z.object({
  ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
});
const tableProps = z.object({
  // A token (an object) is not a name we can use: fall back to the logical id.
  TableName: z.unknown().optional(),
  KeySchema: keySchema,
  AttributeDefinitions: z.array(
    z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) }),
  ),
  LocalSecondaryIndexes: z
    .array(z.object({ IndexName: z.string(), KeySchema: keySchema, Projection: projection }))
    .optional(),
  GlobalSecondaryIndexes: z
    .array(z.object({ IndexName: z.string(), KeySchema: keySchema, Projection: projection }))
    .optional(),
  StreamSpecification: z
    .object({ StreamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']) })
    .optional(),
  TimeToLiveSpecification: z
    .object({ AttributeName: z.string().optional(), Enabled: z.boolean().optional() })
    .optional(),
});

const TABLE_TYPES = new Set(['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table']);

export interface TemplateTable {
  logicalId: string;
  create: CreateTableCommandInput;
  ttlAttribute?: string;
}

/** The CreateTable inputs of every DynamoDB table (TableV2 or Table) in a template. */
export function tablesFromTemplate(template: CfnTemplate): TemplateTable[] {
  const { Resources } = cfnTemplateSchema.parse(template);
  return Object.entries(Resources)
    .filter(([, r]) => TABLE_TYPES.has(r.Type))
    .map(([logicalId, r]) => {
      const parsed = tableProps.safeParse(r.Properties ?? {});
      if (!parsed.success) throw new TemplateTableError(logicalId, z.prettifyError(parsed.error));
      const p = parsed.data;
      const create: CreateTableCommandInput = {
        TableName: typeof p.TableName === 'string' ? p.TableName : logicalId,
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(p.LocalSecondaryIndexes?.length && { LocalSecondaryIndexes: p.LocalSecondaryIndexes }),
        // Only what CreateTable takes: GlobalTable-only throughput fields are dropped.
        ...(p.GlobalSecondaryIndexes?.length && {
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({
            IndexName,
            KeySchema,
            Projection,
          })),
        }),
        ...(p.StreamSpecification && {
          StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType },
        }),
      };
      const ttl = p.TimeToLiveSpecification;
      const ttlAttribute = ttl?.Enabled !== false ? ttl?.AttributeName : undefined;
      return ttlAttribute ? { logicalId, create, ttlAttribute } : { logicalId, create };
    });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitActive(client: DynamoDBClient, tableName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesReady = (out.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
      if (out.Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    if (Date.now() > deadline) throw new TableNotActiveError(tableName);
    await sleep(100);
  }
}

/**
 * Brings an existing table's GSIs to the template's, as a cloud deploy does: the missing ones are
 * created (DynamoDB backfills them), those the template dropped are deleted, one per UpdateTable
 * as DynamoDB requires. A data dir made by an older version gains, e.g., the profile day indexes.
 */
async function syncIndexes(client: DynamoDBClient, tableName: string, t: TemplateTable): Promise<void> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const have = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  const want = t.create.GlobalSecondaryIndexes ?? [];
  const wanted = new Set(want.map((g) => g.IndexName));
  for (const gsi of want) {
    if (have.has(gsi.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: t.create.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: gsi }],
      }),
    );
    await waitActive(client, tableName);
  }
  for (const name of have) {
    if (name === undefined || wanted.has(name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }],
      }),
    );
    await waitActive(client, tableName);
  }
}

/**
 * Creates the template's tables that do not exist yet (idempotent), brings an existing table's
 * GSIs to the template's, waits until they are ACTIVE and enables TTL. Returns logical id → table name.
 */
export async function ensureTables(
  client: DynamoDBClient,
  template: CfnTemplate,
  opts: { tableNamePrefix?: string | undefined } = {},
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const t of tablesFromTemplate(template)) {
    const tableName = `${opts.tableNamePrefix ?? ''}${t.create.TableName ?? t.logicalId}`;
    let existed = false;
    try {
      await client.send(new CreateTableCommand({ ...t.create, TableName: tableName }));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
      existed = true;
    }
    await waitActive(client, tableName);
    if (existed) await syncIndexes(client, tableName, t);
    if (t.ttlAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
      if (status !== 'ENABLED' && status !== 'ENABLING') {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true },
          }),
        );
      }
    }
    names.set(t.logicalId, tableName);
  }
  return names;
}
