// The local store is built from the synthesized template, and DynamoDB Local is a process we own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTables, tablesFromTemplate } from '../../../local/assembly-tables.js';
import { checkJava, JavaMissingError, startDynamoDbLocal } from '../../../local/dynamodb-local.js';
import { index } from '../../../shared/store/keys.js';
import { ddbClient, storeTemplate } from '../support/ddb.js';

const client = ddbClient();
afterAll(() => client.destroy());

describe('tablesFromTemplate', () => {
  it('turns the Store construct into one CreateTable with its indexes, on demand, TTL apart', () => {
    const tables = tablesFromTemplate(storeTemplate());
    expect(tables).toHaveLength(1);
    const [t] = tables;
    expect(t?.ttlAttribute).toBe('expiresAt');
    expect(t?.create.BillingMode).toBe('PAY_PER_REQUEST');
    expect(t?.create.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(t?.create.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(
      [
        index.byBirthdayProfile,
        index.byCampaign,
        index.byContractEnd,
        index.byContractStart,
        index.byEventDay,
        index.byLastActivityProfile,
        index.byPhone,
        index.byEmail,
      ].sort(),
    );
    expect(t?.create.LocalSecondaryIndexes?.map((l) => l.IndexName)).toEqual([index.byChannelDay]);
    // Only CreateTable's fields survive (no GlobalTable-only throughput settings).
    for (const g of t?.create.GlobalSecondaryIndexes ?? [])
      expect(Object.keys(g).sort()).toEqual(['IndexName', 'KeySchema', 'Projection']);
  });
});

describe('ensureTables', () => {
  it('creates missing tables once, ACTIVE with TTL, and is idempotent', async () => {
    const prefix = `ens${Date.now()}-`;
    const first = await ensureTables(client, storeTemplate(), { tableNamePrefix: prefix });
    const again = await ensureTables(client, storeTemplate(), { tableNamePrefix: prefix });
    expect(again).toEqual(first);
    const name = [...first.values()][0] ?? '';
    expect(name.startsWith(prefix)).toBe(true);
    const table = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(table.Table?.GlobalSecondaryIndexes).toHaveLength(8);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });
});

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startDynamoDbLocal', () => {
  it('keeps data in a directory across restarts and stops its whole process group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-ddb-'));
    try {
      const first = await startDynamoDbLocal({ dataDir: join(dir, 'db') });
      const c1 = new DynamoDBClient({
        endpoint: first.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      try {
        await ensureTables(c1, storeTemplate(), { tableNamePrefix: 'kept-' });
      } finally {
        c1.destroy();
        await first.stop();
      }
      expect(groupAlive(first.pid)).toBe(false);

      const second = await startDynamoDbLocal({ dataDir: join(dir, 'db') });
      const c2 = new DynamoDBClient({
        endpoint: second.endpoint,
        region: 'local',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      try {
        const { TableNames } = await c2.send(new ListTablesCommand({}));
        expect(TableNames?.some((n) => n.startsWith('kept-'))).toBe(true);
      } finally {
        c2.destroy();
        await second.stop();
      }
      expect(groupAlive(second.pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkJava', () => {
  it('finds Java 17+ here, and refuses with JavaMissingError when java is not on PATH', async () => {
    expect(checkJava()).toBeGreaterThanOrEqual(17);
    const saved = process.env.PATH;
    const empty = mkdtempSync(join(tmpdir(), 'touchpoint-nojava-'));
    process.env.PATH = empty;
    try {
      expect(() => checkJava()).toThrow(JavaMissingError);
      await expect(startDynamoDbLocal({})).rejects.toThrow(/needs Java 17\+/);
    } finally {
      process.env.PATH = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
