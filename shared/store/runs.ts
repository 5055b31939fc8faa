// Run plans live in the store so the state machine passes only references (payloads stay far
// below the 256 KB state limit). They expire after 90 days through the table's TTL.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { PlannedTouch } from '../domain/touch.js';
import type { Clock, RunBatch, RunMeta, RunStore } from '../ports.js';
import { RunItemNotFoundError } from './errors.js';
import { keys, parseItem, runBatchSchema, runMetaSchema, runSuppressedSchema } from './items.js';
import { chunk, type Table } from './table.js';

const RETENTION_SECONDS = 90 * 24 * 3600;
const SUPPRESSED_CHUNK = 100;

export class Runs implements RunStore {
  constructor(
    private readonly table: Table,
    private readonly clock: Clock,
  ) {}

  private expiresAt(): number {
    return Math.floor(this.clock.now().getTime() / 1000) + RETENTION_SECONDS;
  }

  async putRunMeta(meta: RunMeta): Promise<void> {
    await this.table.put({ ...keys.runMeta(meta.runId), ...meta, expiresAt: this.expiresAt() });
  }

  async getRunMeta(runId: string): Promise<RunMeta | undefined> {
    const item = await this.table.get(keys.runMeta(runId), { ConsistentRead: true });
    return item ? parseItem(runMetaSchema, item) : undefined;
  }

  async putRunBatches(batches: readonly RunBatch[]): Promise<void> {
    const expiresAt = this.expiresAt();
    await this.table.batchPut(
      batches.map((b) => ({ ...keys.runBatch(b.runId, b.batchId), ...b, expiresAt })),
    );
  }

  /** Replaces the run's suppressed list (idempotent, so a retried planning step leaves no stale chunk). */
  async putRunSuppressed(runId: string, touches: readonly PlannedTouch[]): Promise<void> {
    const expiresAt = this.expiresAt();
    const chunks = chunk(touches, SUPPRESSED_CHUNK);
    await this.table.batchPut(
      chunks.map((c, n) => ({ ...keys.runSuppressed(runId, n), touches: c, expiresAt })),
    );
    const existing = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.runMeta(runId).pk,
        ':from': keys.runSuppressed(runId, chunks.length).sk,
        ':to': keys.runSuppressed(runId, 99_999).sk,
      },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await this.table.batchDelete(existing.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })));
  }

  async getRunBatch(runId: string, batchId: string): Promise<RunBatch | undefined> {
    const item = await this.table.get(keys.runBatch(runId, batchId), { ConsistentRead: true });
    return item ? parseItem(runBatchSchema, item) : undefined;
  }

  async putRunBatchResults(
    runId: string,
    batchId: string,
    results: NonNullable<RunBatch['results']>,
  ): Promise<void> {
    const key = keys.runBatch(runId, batchId);
    try {
      await this.table.update(key, {
        UpdateExpression: 'SET results = :r',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':r': results },
      });
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        throw new RunItemNotFoundError(`${key.pk}/${key.sk}`);
      throw err;
    }
  }

  async getRunReport(
    runId: string,
  ): Promise<{ meta: RunMeta; batches: RunBatch[]; suppressed: PlannedTouch[] } | undefined> {
    const meta = await this.getRunMeta(runId);
    if (!meta) return undefined;
    const part = (prefix: string) =>
      this.table.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.runMeta(runId).pk, ':prefix': prefix },
        ConsistentRead: true,
      });
    const [batchItems, suppressedItems] = await Promise.all([part('BATCH#'), part('SUPPRESSED#')]);
    return {
      meta,
      // The sort key orders both: batches by batchId, suppressed chunks by their zero-padded number.
      batches: batchItems.map((i) => parseItem(runBatchSchema, i)),
      suppressed: suppressedItems.flatMap((i) => parseItem(runSuppressedSchema, i).touches),
    };
  }
}
