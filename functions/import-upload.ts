// S3 ObjectCreated on `imports/<importId>/<kind>.<format>` → runImportJob over the object (read
// twice, pinned by its ETag: validate, then write). Bad uploads end as a failed job, not as an error:
// a retry could not fix them, and the job is claimed once (a repeated notification finds it no
// longer pending). The import stops between batches a minute before the function's timeout, so a
// file too large for one invocation ends as a failed job saying how far it got, never as a job
// left "writing" by a killed process.

import { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import type { ImportStore } from '../shared/import/check.js';
import { createLog } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import { traced } from '../shared/observability/tracer.js';
import type { Stores } from '../shared/store/stores.js';
import { dynamoStores } from '../shared/store/stores.js';
import { type ImportJobOutcome, runImportJob } from '../shared/usecases/imports/run-import.js';
import { parseImportObjectKey, s3ObjectSource } from '../shared/usecases/imports/s3-uploads.js';
import { cloudTable, systemClock } from './commons/table.js';

const s3Event = z.object({
  Records: z.array(
    z.object({
      s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
    }),
  ),
});

export interface ImportUploadDeps {
  store: ImportStore & Pick<Stores, 'importJobs'>;
  s3: S3Client;
  log: { error(message: string, extra?: unknown): void };
}

/** Time kept back to record the job's outcome after stopping the import. */
export const OUTCOME_MARGIN_MS = 60_000;

/** The part of the Lambda context the importer uses. */
export interface InvocationTime {
  getRemainingTimeInMillis(): number;
}

export const createHandler = (deps: ImportUploadDeps) => async (event: unknown, context?: InvocationTime) => {
  const signal = context
    ? AbortSignal.timeout(Math.max(0, context.getRemainingTimeInMillis() - OUTCOME_MARGIN_MS))
    : undefined;
  const results: ({ key: string } & (ImportJobOutcome | { outcome: 'not-an-import' }))[] = [];
  for (const record of s3Event.parse(event).Records) {
    // S3 notifications URL-encode keys, with '+' for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const target = parseImportObjectKey(key);
    if (!target) {
      results.push({ key, outcome: 'not-an-import' });
      continue;
    }
    const outcome = await runImportJob(
      { store: deps.store, log: deps.log },
      {
        importId: target.importId,
        open: s3ObjectSource(deps.s3, record.s3.bucket.name, key),
        ...(signal && { signal }),
      },
    );
    results.push({ key, ...outcome });
  }
  return results.map((r) => ({
    key: r.key,
    outcome: r.outcome,
    ...('job' in r && { status: r.job.status, count: r.job.count, errorCount: r.job.errorCount }),
  }));
};

let built: ReturnType<typeof createHandler> | undefined;

export const handler = async (event: unknown, context: InvocationTime) => {
  if (!built) {
    const env = parseEnv('import-upload');
    const table = cloudTable(env.TABLE_NAME, traced);
    const log = createLog(metricService('import-upload'));
    built = createHandler({
      store: dynamoStores({ client: table.client, tableName: table.name, clock: systemClock }),
      s3: traced(new S3Client({})),
      log: { error: (message, extra) => log.error(message, extra instanceof Error ? extra : { extra }) },
    });
  }
  return built(event, context);
};
