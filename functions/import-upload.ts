// S3 ObjectCreated on `imports/<importId>/<kind>.<format>` → runImportJob over the object (read
// twice, pinned by its ETag: validate, then write). Bad uploads end as a failed job, not as an error:
// a retry could not fix them, and the job is claimed once (a repeated notification finds it no
// longer pending). The import stops between batches a minute before the function's timeout, so a
// file too large for one invocation ends as a failed job saying how far it got, never as a job
// left "writing" by a killed process.

import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { ENV, parseEnv } from '../shared/config/env.js';
import type { ImportStore } from '../shared/import/check.js';
import { createLog } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import { traced } from '../shared/observability/tracer.js';
import type { ImportMachine } from '../shared/ports/import-objects.js';
import type { Stores } from '../shared/store/stores.js';
import { dynamoStores } from '../shared/store/stores.js';
import { importPathFor } from '../shared/usecases/imports/chunked-import.js';
import { type ImportJobOutcome, runImportJob } from '../shared/usecases/imports/run-import.js';
import { S3ImportObjects, SfnImportMachine } from '../shared/usecases/imports/s3-import-objects.js';
import { parseImportObjectKey, s3ObjectSource } from '../shared/usecases/imports/s3-uploads.js';
import { createStepHandler, isImportStep } from './commons/import-steps.js';
import { cloudTable, systemClock } from './commons/table.js';

const s3Event = z.object({
  Records: z.array(
    z.object({
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({ key: z.string(), size: z.number().int().nonnegative().optional() }),
      }),
    }),
  ),
});

export interface ImportUploadDeps {
  store: ImportStore & Pick<Stores, 'importJobs'>;
  s3: S3Client;
  log: { error(message: string, extra?: unknown): void };
  /** The chunked import's machine (the cloud); without it every upload takes the single path. */
  machine?: ImportMachine | undefined;
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
  const results: ({ key: string } & (
    | ImportJobOutcome
    | { outcome: 'not-an-import' | 'chunked' | 'chunked-already-started' }
  ))[] = [];
  for (const record of s3Event.parse(event).Records) {
    // S3 notifications URL-encode keys, with '+' for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const target = parseImportObjectKey(key);
    if (!target) {
      results.push({ key, outcome: 'not-an-import' });
      continue;
    }
    // Too large for one invocation: the state machine validates and writes it chunk by chunk.
    if (deps.machine && importPathFor(record.s3.object.size) === 'chunked') {
      const started = await deps.machine.start({
        importId: target.importId,
        bucket: record.s3.bucket.name,
        key,
      });
      results.push({ key, outcome: started === 'started' ? 'chunked' : 'chunked-already-started' });
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

let built:
  | { uploads: ReturnType<typeof createHandler>; steps: ReturnType<typeof createStepHandler> }
  | undefined;

export const handler = async (event: unknown, context: InvocationTime) => {
  if (!built) {
    const env = parseEnv('import-upload');
    const table = cloudTable(env.TABLE_NAME, traced);
    const log = createLog(metricService('import-upload'));
    const store = dynamoStores({ client: table.client, tableName: table.name, clock: systemClock });
    const s3 = traced(new S3Client({}));
    const machineArn = env[ENV.importMachineArn];
    built = {
      uploads: createHandler({
        store,
        s3,
        log: { error: (message, extra) => log.error(message, extra instanceof Error ? extra : { extra }) },
        machine: machineArn
          ? new SfnImportMachine({ client: traced(new SFNClient({})), stateMachineArn: machineArn })
          : undefined,
      }),
      steps: createStepHandler({ store, objects: new S3ImportObjects(s3), clock: systemClock }),
    };
  }
  // The import machine's steps invoke this function too (infra/constructs/uploads.ts).
  return isImportStep(event) ? built.steps(event) : built.uploads(event, context);
};
