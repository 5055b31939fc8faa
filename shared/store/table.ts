// The one place that talks to DynamoDB: every call asks for its consumed capacity and adds it to
// a running counter (benchmarks and tests assert cost with it), batches are chunked and retried.
import {
  ConditionalCheckFailedException,
  type ConsumedCapacity,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { StoreThrottledError } from './errors.js';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };
type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

type Without<T, K extends keyof T> = Omit<T, K | 'TableName' | 'ReturnConsumedCapacity'>;

const BATCH_GET_SIZE = 100;
const BATCH_WRITE_SIZE = 25;
const PARALLEL_BATCHES = 4;
const MAX_ATTEMPTS = 8;

export interface Capacity {
  read: number;
  write: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Exponential backoff with full jitter: 50 ms, 100 ms, … capped at 2 s. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(2000, 50 * 2 ** attempt));

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Drops undefined values deeply, so writes work whatever the client's marshall options. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return cleanItem(Object.fromEntries(Object.entries(value)));
  }
  return value;
}

export function cleanItem(item: Item): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[k] = clean(v);
  return out;
}

/**
 * How batchPut/batchDelete reach the table. `batch`: BatchWriteItem, 25 items a call (the cloud:
 * each item billed once). `transactions`: TransactWriteItems, 100 items a call, for the disk-backed
 * DynamoDB Local only: it commits every item of a BatchWriteItem as a SQLite transaction of its own
 * (four fsyncs each) but a TransactWriteItems as one, measured 6.8× faster on disk; on AWS a
 * transactional write bills twice, so the cloud never uses it (docs/imports-at-scale.md).
 */
export type BulkWrites = 'batch' | 'transactions';

const TRANSACT_SIZE = 100;
const RETRYABLE_TRANSACTION = /Throttl|ProvisionedThroughputExceeded|TransactionConflict|TransactionCanceled/;

/** A transaction holds at most 4 MB: chunks of up to 100 requests and ~3 MB of items (JSON size, a close upper bound). */
const TRANSACT_BYTES = 3 * 2 ** 20;
function transactionChunks(requests: readonly WriteRequest[]): WriteRequest[][] {
  const out: WriteRequest[][] = [];
  let current: WriteRequest[] = [];
  let bytes = 0;
  for (const request of requests) {
    const size = Buffer.byteLength(JSON.stringify(request));
    if (current.length > 0 && (current.length >= TRANSACT_SIZE || bytes + size > TRANSACT_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(request);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export class Table {
  readonly capacity: Capacity = { read: 0, write: 0 };

  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
    readonly bulkWrites: BulkWrites = 'batch',
  ) {}

  resetCapacity(): void {
    this.capacity.read = 0;
    this.capacity.write = 0;
  }

  private count(kind: keyof Capacity, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      this.capacity[kind] += c.CapacityUnits ?? 0;
    }
  }

  async get(key: Key, opts: Without<GetCommandInput, 'Key'> = {}): Promise<Item | undefined> {
    const out = await this.client.send(
      new GetCommand({ ...opts, TableName: this.name, Key: key, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count('read', out.ConsumedCapacity);
    return out.Item;
  }

  async put(item: Item, opts: Without<PutCommandInput, 'Item'> = {}): Promise<void> {
    const out = await this.client.send(
      new PutCommand({
        ...opts,
        TableName: this.name,
        Item: cleanItem(item),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count('write', out.ConsumedCapacity);
  }

  /** Puts the item unless its key exists; says whether it did. */
  async putNew(item: Item): Promise<boolean> {
    try {
      await this.put(item, { ConditionExpression: 'attribute_not_exists(pk)' });
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async update(key: Key, opts: Without<UpdateCommandInput, 'Key'>): Promise<Item | undefined> {
    const out = await this.client.send(
      new UpdateCommand({
        ...opts,
        ExpressionAttributeValues:
          opts.ExpressionAttributeValues && cleanItem(opts.ExpressionAttributeValues),
        TableName: this.name,
        Key: key,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count('write', out.ConsumedCapacity);
    return out.Attributes;
  }

  async delete(key: Key, opts: Without<DeleteCommandInput, 'Key'> = {}): Promise<Item | undefined> {
    const out = await this.client.send(
      new DeleteCommand({ ...opts, TableName: this.name, Key: key, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count('write', out.ConsumedCapacity);
    return out.Attributes;
  }

  /** All pages of a query. */
  async query(input: Without<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          ...input,
          TableName: this.name,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.count('read', out.ConsumedCapacity);
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async transactWrite(items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<void> {
    const out = await this.client.send(
      new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count('write', out.ConsumedCapacity);
  }

  /** BatchGet in chunks of 100 (deduplicated keys), retrying unprocessed keys with backoff. */
  async batchGet(
    keys: readonly Key[],
    opts: { projection?: string; names?: Record<string, string>; consistent?: boolean } = {},
  ): Promise<Item[]> {
    const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    const pages = await mapLimit(chunk(unique, BATCH_GET_SIZE), PARALLEL_BATCHES, async (batch) => {
      const found: Item[] = [];
      let pending: Record<string, unknown>[] = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new StoreThrottledError('BatchGetItem', pending.length);
        if (attempt > 0) await backoff(attempt);
        const out = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.name]: {
                Keys: pending,
                ProjectionExpression: opts.projection,
                ExpressionAttributeNames: opts.names,
                ConsistentRead: opts.consistent,
              },
            },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        this.count('read', out.ConsumedCapacity);
        found.push(...(out.Responses?.[this.name] ?? []));
        pending = out.UnprocessedKeys?.[this.name]?.Keys ?? [];
      }
      return found;
    });
    return pages.flat();
  }

  /**
   * Puts in BatchWrite chunks of 25, 4 in parallel, retrying unprocessed items with backoff and
   * jitter. A later item with the same key wins (DynamoDB refuses duplicates within one batch).
   */
  async batchPut(items: readonly Item[]): Promise<void> {
    const unique = [
      ...new Map(items.map((it) => [`${String(it.pk)}\u0000${String(it.sk)}`, cleanItem(it)])).values(),
    ];
    await this.batchWrite(unique.map((Item) => ({ PutRequest: { Item } })));
  }

  async batchDelete(keys: readonly Key[]): Promise<void> {
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    if (this.bulkWrites === 'transactions') return this.transactWrites(requests);
    await mapLimit(chunk(requests, BATCH_WRITE_SIZE), PARALLEL_BATCHES, async (batch) => {
      let pending = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new StoreThrottledError('BatchWriteItem', pending.length);
        if (attempt > 0) await backoff(attempt);
        const out = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.name]: pending }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        this.count('write', out.ConsumedCapacity);
        pending = (out.UnprocessedItems?.[this.name] ?? []).flatMap((r): WriteRequest[] => {
          if (r.PutRequest?.Item) return [{ PutRequest: { Item: r.PutRequest.Item } }];
          if (r.DeleteRequest?.Key) return [{ DeleteRequest: { Key: r.DeleteRequest.Key } }];
          return [];
        });
      }
    });
  }

  /**
   * Puts each item unless its key exists, and says which it put: conditional Puts grouped as
   * TransactWriteItems of up to 100 (distinct keys), 4 in parallel. A transaction cancelled because
   * some keys exist is retried without them; one cancelled by a conflict or throttling, after backoff.
   * One request per 100 items instead of one each: a run's 100,000 exposure units took 1,000 requests,
   * not 100,000 (DynamoDB Local spent most of PlanRun's 15 minutes on them). The price: a transactional
   * write bills 2 WCU an item (docs/attribution.md, "Incremental, never a scan"); a single item (as
   * SendBatch records a touch's unit) goes as one conditional Put, 1 WCU.
   */
  async putAllNew(items: readonly Item[]): Promise<boolean[]> {
    const [only] = items;
    if (only && items.length === 1) return [await this.putNew(only)];
    const put = new Array<boolean>(items.length).fill(false);
    const indexed = items.map((item, i) => ({ item: cleanItem(item), i }));
    await mapLimit(chunk(indexed, TRANSACT_SIZE), PARALLEL_BATCHES, async (batch) => {
      let pending = batch;
      for (let attempt = 0; pending.length > 0; ) {
        try {
          await this.transactWrite(
            pending.map(({ item }) => ({
              Put: { TableName: this.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          );
          for (const { i } of pending) put[i] = true;
          return;
        } catch (err) {
          if (!(err instanceof TransactionCanceledException)) throw err;
          const reasons = err.CancellationReasons ?? [];
          if (reasons.some((r) => r.Code === 'ValidationError')) throw err;
          const exists = (k: number) => reasons[k]?.Code === 'ConditionalCheckFailed';
          const left = pending.filter((_, k) => !exists(k));
          // Only existing keys in the way: the rest go again at once. Anything else: back off.
          if (left.length === pending.length || reasons.some((r, k) => !exists(k) && r.Code !== 'None')) {
            if (++attempt >= MAX_ATTEMPTS)
              throw new StoreThrottledError('TransactWriteItems', pending.length);
            await backoff(attempt);
          }
          pending = left;
        }
      }
    });
    return put;
  }

  /** The same requests as TransactWriteItems of up to 100 and 3 MB (keys are distinct: batchPut dedupes them). */
  private async transactWrites(requests: WriteRequest[]): Promise<void> {
    await mapLimit(transactionChunks(requests), PARALLEL_BATCHES, async (batch) => {
      const items = batch.map((r) =>
        'PutRequest' in r
          ? { Put: { TableName: this.name, Item: r.PutRequest.Item } }
          : { Delete: { TableName: this.name, Key: r.DeleteRequest.Key } },
      );
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) await backoff(attempt);
        try {
          await this.transactWrite(items);
          return;
        } catch (err) {
          const name = err instanceof Error ? err.name : '';
          if (!RETRYABLE_TRANSACTION.test(name)) throw err;
          if (attempt + 1 >= MAX_ATTEMPTS) throw new StoreThrottledError('TransactWriteItems', batch.length);
        }
      }
    });
  }
}
