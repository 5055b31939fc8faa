// Import jobs (presigned uploads) in the table: one item per job, `IMPORT#<id>` / `IMPORT`, kept
// for a week by the table's TTL (`expiresAt`, epoch seconds) like the upload bucket's objects.
// Status moves are conditional on the current status, so a second S3 notification for the same
// object (delivery is at least once) or a second PUT cannot start the import twice.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { importJobSchema } from '../domain/import-job.js';
import type { Clock } from '../ports/clock.js';
import type { ImportJob, ImportJobStatus, ImportJobs, ImportJobUpdate } from '../ports/import-jobs.js';
import { parseItem } from './items.js';
import type { Key, Table } from './table.js';

/** Job records live as long as the uploaded objects (the bucket's lifecycle rule). */
export const IMPORT_JOB_RETENTION_SECONDS = 7 * 24 * 60 * 60;

export const importJobKey = (id: string): Key => ({ pk: `IMPORT#${id}`, sk: 'IMPORT' });

/** An item holds at most 400 KB: 1000 errors fit when each message is bounded. */
const MAX_MESSAGE = 240;
const bounded = (text: string): string =>
  text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;

export class ImportJobRows implements ImportJobs {
  constructor(
    private readonly table: Table,
    private readonly clock: Clock,
  ) {}

  async createImportJob(job: ImportJob): Promise<void> {
    const expiresAt = Math.floor(this.clock.now().getTime() / 1000) + IMPORT_JOB_RETENTION_SECONDS;
    await this.table.put(
      { ...importJobKey(job.id), ...job, expiresAt },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  async getImportJob(id: string): Promise<ImportJob | undefined> {
    const item = await this.table.get(importJobKey(id), { ConsistentRead: true });
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = item;
    return parseItem(importJobSchema, rest);
  }

  async updateImportJob(
    id: string,
    from: readonly ImportJobStatus[],
    update: ImportJobUpdate,
  ): Promise<boolean> {
    const fields: Record<string, unknown> = { ...update, updatedAt: this.clock.now().toISOString() };
    if (update.errors)
      fields.errors = update.errors.map((e) => ({
        line: e.line,
        path: bounded(e.path),
        message: bounded(e.message),
      }));
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    from.forEach((s, i) => {
      values[`:from${i}`] = s;
    });
    try {
      await this.table.update(importJobKey(id), {
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
