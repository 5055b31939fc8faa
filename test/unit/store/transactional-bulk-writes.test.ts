// The embedded stack's bulk writes (Table with bulkWrites 'transactions'): up to 100 items and 3 MB
// a TransactWriteItems, so DynamoDB Local commits them together instead of one SQLite transaction
// (four fsyncs) per item; throttling is retried; the cloud's default stays BatchWriteItem.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Table } from '../../../shared/store/table.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
const mock = mockClient(doc);
beforeEach(() => mock.reset());

const items = (n: number, bytes = 10) =>
  Array.from({ length: n }, (_, i) => ({ pk: `CUSTOMER#t-${i}`, sk: 'PROFILE', doc: 'x'.repeat(bytes) }));
const sizes = () => mock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.length);

describe('transactional bulk writes', () => {
  it('puts 250 items as TransactWriteItems of 100, 100 and 50, and no BatchWriteItem (a disk-backed local import at 40 items/s)', async () => {
    mock.on(TransactWriteCommand).resolves({});
    await new Table(doc, 't', 'transactions').batchPut(items(250));
    expect(sizes().sort()).toEqual([100, 100, 50].sort());
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('keeps a transaction under 4 MB: 100 items of 32 KB go as more, smaller transactions', async () => {
    mock.on(TransactWriteCommand).resolves({});
    await new Table(doc, 't', 'transactions').batchPut(items(100, 32 * 1024));
    expect(sizes().every((n) => (n ?? 0) * 32 * 1024 <= 3 * 2 ** 20)).toBe(true);
    expect(sizes().reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(100);
  });

  it('retries a throttled transaction and then writes it', async () => {
    const throttled = Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    mock.on(TransactWriteCommand).rejectsOnce(throttled).resolves({});
    await new Table(doc, 't', 'transactions').batchPut(items(10));
    expect(sizes()).toEqual([10, 10]);
  });

  it('leaves the cloud on BatchWriteItem by default', async () => {
    mock.on(BatchWriteCommand).resolves({});
    await new Table(doc, 't').batchPut(items(30));
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(2);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('puts of new items (putAllNew)', () => {
  it('puts a single item as one conditional Put (1 WCU), not a transaction of one (2), and says whether it was new', async () => {
    const exists = new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
    mock.on(PutCommand).resolvesOnce({}).rejectsOnce(exists);
    const table = new Table(doc, 't');
    expect(await table.putAllNew(items(1))).toEqual([true]);
    expect(await table.putAllNew(items(1))).toEqual([false]);
    const puts = mock.commandCalls(PutCommand).map((c) => c.args[0].input.ConditionExpression);
    expect(puts).toEqual(['attribute_not_exists(pk)', 'attribute_not_exists(pk)']);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('puts two or more as conditional Puts in TransactWriteItems of up to 100', async () => {
    mock.on(TransactWriteCommand).resolves({});
    expect(await new Table(doc, 't').putAllNew(items(150))).toEqual(Array.from({ length: 150 }, () => true));
    expect(sizes().sort()).toEqual([100, 50].sort());
    expect(mock.commandCalls(PutCommand)).toHaveLength(0);
  });
});
