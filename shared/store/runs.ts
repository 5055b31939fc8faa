// Run plans live in the store so the state machine passes only references (payloads stay far
// below the 256 KB state limit). They expire after 90 days through the table's TTL.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { chunkByJsonSize, MAX_RUN_ITEM_TOUCH_BYTES } from '../domain/limits.js';
import type { PlannedTouch } from '../domain/touch.js';
import type { Clock } from '../ports/clock.js';
import type { DateClaim, RunBatch, RunMeta, RunStore } from '../ports/runs.js';
import { RunItemNotFoundError } from './errors.js';
import {
  keys,
  parseItem,
  runBatchSchema,
  runMetaSchema,
  runSummarySchema,
  runSuppressedSchema,
} from './items.js';
import type { Item, Key, Table } from './table.js';

const RETENTION_SECONDS = 90 * 24 * 3600;

/** The run meta with the scheduling fields (docs/scheduling.md) and the late/unknown counts. */
const runMetaRead = runMetaSchema.extend({
  summary: runSummarySchema
    .extend({
      expired: z.number().optional(),
      unknown: z.number().optional(),
      failedBatches: z.number().optional(),
    })
    .optional(),
  scheduled: z.boolean().optional(),
  catchUp: z.array(z.string()).optional(),
  intraday: z.boolean().optional(),
});

/**
 * Which local dates a completed all-campaign run covered, in one small partition (one item a
 * day, written once a day): the scheduled run's catch-up reads a range of it. Kept for good (no TTL).
 */
const RUN_DATES = 'RUNDATES';
const runDateKey = (date: string) => ({ pk: RUN_DATES, sk: `DATE#${date}` });
const FIRST_SCHEDULED_KEY = { pk: RUN_DATES, sk: 'FIRST_SCHEDULED' };
const firstScheduledSchema = z.object({ date: z.string() });
/** A run's claim on a date it plans: `CLAIM#<date>#<runId>`, next to the completion marks. */
const claimKey = (date: string, runId: string) => ({ pk: RUN_DATES, sk: `CLAIM#${date}#${runId}` });
const firingSchema = z.object({ runId: z.string() });
const claimSchema = z.object({ date: z.string(), runId: z.string(), startedAt: z.string() });
const SUPPRESSED_CHUNK = 100;

/**
 * One reference per customer and run item that lists their touches (`keys.runRef`), expiring with
 * the run: the GDPR erase reads the customer's partition and reaches exactly those items.
 */
function runRefs(
  items: readonly { key: Key; touches: readonly { customerId: string }[] }[],
  expiresAt: number,
): Item[] {
  return items.flatMap(({ key, touches }) =>
    [...new Set(touches.map((t) => t.customerId))].map((customerId) => ({
      ...keys.runRef(customerId, key),
      runPk: key.pk,
      runSk: key.sk,
      expiresAt,
    })),
  );
}

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
    return item ? parseItem(runMetaRead, item) : undefined;
  }

  async putRunBatches(batches: readonly RunBatch[]): Promise<void> {
    const expiresAt = this.expiresAt();
    const items = batches.map((b) => ({ key: keys.runBatch(b.runId, b.batchId), touches: b.touches }));
    // References first: no run item names a customer that erase could not find.
    await this.table.batchPut(runRefs(items, expiresAt));
    await this.table.batchPut(
      batches.map((b) => ({ ...keys.runBatch(b.runId, b.batchId), ...b, expiresAt })),
    );
  }

  /** Replaces the run's suppressed list (idempotent, so a retried planning step leaves no stale chunk). */
  async putRunSuppressed(runId: string, touches: readonly PlannedTouch[]): Promise<void> {
    const expiresAt = this.expiresAt();
    // By count and by size: suppressed touches carry their event too.
    const chunks = chunkByJsonSize(touches, SUPPRESSED_CHUNK, MAX_RUN_ITEM_TOUCH_BYTES);
    await this.table.batchPut(
      runRefs(
        chunks.map((c, n) => ({ key: keys.runSuppressed(runId, n), touches: c })),
        expiresAt,
      ),
    );
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

  async markDatesCompleted(
    dates: readonly string[],
    run: { runId: string; scheduled: boolean; completedAt: string },
  ): Promise<void> {
    await this.table.batchPut(dates.map((date) => ({ ...runDateKey(date), date, ...run })));
    if (!run.scheduled || dates.length === 0) return;
    const first = [...dates].sort()[0];
    // Already set by an earlier scheduled run: the first one stays.
    await this.table.putNew({
      ...FIRST_SCHEDULED_KEY,
      date: first,
      runId: run.runId,
      completedAt: run.completedAt,
    });
  }

  async completedDates(fromDay: string, toDay: string): Promise<Set<string>> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': RUN_DATES,
        ':from': runDateKey(fromDay).sk,
        ':to': runDateKey(toDay).sk,
      },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return new Set(items.map((i) => String(i.sk).slice('DATE#'.length)));
  }

  async firstScheduledDate(): Promise<string | undefined> {
    const item = await this.table.get(FIRST_SCHEDULED_KEY, { ConsistentRead: true });
    return item ? parseItem(firstScheduledSchema, item).date : undefined;
  }

  async claimDates(dates: readonly string[], run: { runId: string; startedAt: string }): Promise<void> {
    const expiresAt = this.expiresAt();
    await this.table.batchPut(
      dates.map((date) => ({ ...claimKey(date, run.runId), date, ...run, expiresAt })),
    );
  }

  async dateClaims(fromDay: string, toDay: string): Promise<DateClaim[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': RUN_DATES,
        ':from': `CLAIM#${fromDay}#`,
        ':to': `CLAIM#${toDay}#\uffff`,
      },
      ConsistentRead: true,
    });
    return items.map((i) => parseItem(claimSchema, i));
  }

  async recordFiring(firing: string, runId: string): Promise<string> {
    const key = { pk: RUN_DATES, sk: `FIRING#${firing}` };
    if (await this.table.putNew({ ...key, firing, runId, expiresAt: this.expiresAt() })) return runId;
    const held = await this.table.get(key, { ConsistentRead: true });
    return held ? parseItem(firingSchema, held).runId : runId;
  }
}
