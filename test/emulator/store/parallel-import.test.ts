// Imports that keep up: the write pass keeps several batches in flight against DynamoDB Local and
// still stores each customer exactly once, a bad line still stores nothing, and the embedded
// stack's bulk writes go as transactions (one SQLite commit for up to 100 items on disk).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BULK_WRITES } from '../../../local/runtime.js';
import { importFile } from '../../../shared/import/import-file.js';
import { dynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';

const dir = mkdtempSync(join(tmpdir(), 'tp-parallel-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (prefix: string, i: number) =>
  JSON.stringify({
    id: `${prefix}-${i}`,
    name: `Customer ${i}`,
    email: `${prefix}-${i}@example.com`,
    phone: `+1415555${String(i).padStart(4, '0')}`,
    locale: 'en-US',
    timeZone: 'UTC',
    birthday: `1990-${String((i % 12) + 1).padStart(2, '0')}-15`,
    monthlyValue: i % 300,
    consent: { email: true, sms: i % 2 === 0 },
  });

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Every customer profile id under `prefix`, as many times as the table holds it. */
async function profileIds(
  client: DynamoDBDocumentClient,
  tableName: string,
  prefix: string,
): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :p) AND sk = :profile',
        ExpressionAttributeValues: { ':p': `CUSTOMER#${prefix}-`, ':profile': 'PROFILE' },
        ProjectionExpression: 'pk',
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of out.Items ?? []) ids.push(String(item.pk).slice('CUSTOMER#'.length));
    start = out.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Counts BatchWriteItem calls in flight at once on this client. */
function watchBatchWrites(client: DynamoDBDocumentClient): { max(): number } {
  let now = 0;
  let max = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!String(context.commandName).startsWith('BatchWrite')) return next(args);
      now++;
      max = Math.max(max, now);
      try {
        return await next(args);
      } finally {
        now--;
      }
    },
    { step: 'initialize', name: 'watchBatchWrites' },
  );
  return { max: () => max };
}

describe('a parallel import into DynamoDB Local', () => {
  let ctx: Awaited<ReturnType<typeof createTestStore>>;
  let writes: { max(): number };
  beforeAll(async () => {
    ctx = await createTestStore();
    writes = watchBatchWrites(ctx.client);
  });

  it('writes several batches at once and stores each of 2,000 customers exactly once', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => line('pi', i));
    const result = await importFile({
      path: file('customers.ndjson', lines),
      kind: 'customers',
      store: ctx.store,
      batchSize: 100,
    });
    expect(result).toEqual({ ok: true, count: 2_000, written: 2_000 });
    // One batch is at most 4 BatchWriteItem calls at once (table.ts); more means batches overlapped.
    expect(writes.max()).toBeGreaterThan(4);
    const ids = await profileIds(ctx.client, ctx.tableName, 'pi');
    expect(ids).toHaveLength(2_000);
    expect(new Set(ids)).toEqual(new Set(lines.map((_, i) => `pi-${i}`)));
  });

  it('stores nothing from a file of 2,000 lines whose last line is bad, and says which line', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => line('pb', i));
    lines[1_999] = lines[1_999]?.replace('"locale":"en-US"', '"locale":"xx_not a locale"') ?? '';
    const result = await importFile({
      path: file('bad.ndjson', lines),
      kind: 'customers',
      store: ctx.store,
      batchSize: 100,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.line)).toEqual([2_000]);
    expect(await profileIds(ctx.client, ctx.tableName, 'pb')).toEqual([]);
  });
});

describe('the embedded stack’s bulk writes', () => {
  it('go as TransactWriteItems of up to 100 (a disk-backed DynamoDB Local commits each item of a BatchWriteItem alone, 40 items/s) and store each customer exactly once', async () => {
    const { client, tableName } = await createTestStore();
    const calls = new Map<string, number>();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const store = dynamoStores({ client, tableName, bulkWrites: LOCAL_BULK_WRITES });
    const lines = Array.from({ length: 1_000 }, (_, i) => line('pt', i));
    const result = await importFile({
      path: file('transactions.ndjson', lines),
      kind: 'customers',
      store,
      batchSize: 250,
    });
    expect(result).toEqual({ ok: true, count: 1_000, written: 1_000 });
    const names = [...calls.keys()];
    expect(names.filter((n) => n.startsWith('BatchWrite'))).toEqual([]);
    // 1,000 profiles in transactions of at most 100 (and the job's own small writes).
    const transactions = names.filter((n) => n.startsWith('TransactWrite')).map((n) => calls.get(n) ?? 0);
    expect(transactions.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    const ids = await profileIds(client, tableName, 'pt');
    expect(ids).toHaveLength(1_000);
    expect(new Set(ids).size).toBe(1_000);
  });
});
