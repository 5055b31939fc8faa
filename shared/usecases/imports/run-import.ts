// The one import-job use case, run by functions/import-upload.ts (an S3 object) and by the local
// API after its PUT (a file in the data dir): claim the job, run the all-or-nothing import over
// the uploaded bytes (read twice: validate, then write), record the outcome on the job.

import type { ImportStore } from '../../import/check.js';
import { ImportSourceError, importParsed } from '../../import/import-file.js';
import { readDocumentsFrom } from '../../import/parse.js';
import type { ImportJob } from '../../ports/import-jobs.js';
import type { Stores } from '../../store/stores.js';

/** How many line errors a job keeps (the contract's first 1000); all are counted. */
export const MAX_JOB_ERRORS = 1000;

export interface ImportJobDeps {
  store: ImportStore & Pick<Stores, 'importJobs'>;
  log?: { error(message: string, extra?: unknown): void };
}

export type ImportJobOutcome =
  | { outcome: 'unknown-job' }
  /** Not pending: another delivery of the same upload ran it, or is running it. */
  | { outcome: 'already-claimed'; status: ImportJob['status'] }
  | { outcome: 'finished'; job: ImportJob };

/**
 * Runs the import of an uploaded file. `open` returns a fresh stream of the upload each time it
 * is called (twice). Never throws for a bad upload: the job records why it failed.
 */
export async function runImportJob(
  deps: ImportJobDeps,
  input: {
    importId: string;
    open: () => AsyncIterable<string | Uint8Array> | Promise<AsyncIterable<string | Uint8Array>>;
  },
): Promise<ImportJobOutcome> {
  const { store } = deps;
  const found = await store.importJobs.getImportJob(input.importId);
  if (!found) return { outcome: 'unknown-job' };
  const job: ImportJob = found;
  if (!(await store.importJobs.updateImportJob(job.id, ['pending'], { status: 'validating' }))) {
    const now = await store.importJobs.getImportJob(job.id);
    return { outcome: 'already-claimed', status: now?.status ?? job.status };
  }
  let reads = 0;
  // importParsed reads twice; the second read is pass 2, when writing starts.
  async function* read() {
    reads++;
    if (reads === 2) await store.importJobs.updateImportJob(job.id, ['validating'], { status: 'writing' });
    yield* readDocumentsFrom(await input.open(), job.kind, job.format);
  }
  try {
    const result = await importParsed(read, job.kind, store, { maxErrors: MAX_JOB_ERRORS });
    if (result.ok) {
      await store.importJobs.updateImportJob(job.id, ['writing'], {
        status: 'succeeded',
        count: result.count,
        written: result.written,
        ...(result.newEvents !== undefined && { newEvents: result.newEvents }),
      });
    } else {
      await store.importJobs.updateImportJob(job.id, ['validating'], {
        status: 'failed',
        count: result.count,
        errors: result.errors,
        errorCount: result.errorCount,
      });
    }
  } catch (err) {
    // A whole-file problem (unreadable, changed between passes) or an infrastructure failure: the
    // job says so instead of staying "validating" forever. Writes already made stay (upserts; a
    // new job with the same file completes them).
    if (!(err instanceof ImportSourceError)) deps.log?.error('import job failed', err);
    await store.importJobs.updateImportJob(job.id, ['validating', 'writing'], {
      status: 'failed',
      message: err instanceof Error ? err.message : String(err),
    });
  }
  const done = await store.importJobs.getImportJob(job.id);
  return done ? { outcome: 'finished', job: done } : { outcome: 'unknown-job' };
}
