// The one import-job use case, run by functions/import-upload.ts (an S3 object) and by the local
// API after its PUT (a file in the data dir): claim the job, run the all-or-nothing import over
// the uploaded bytes (read twice: validate, then write), record the outcome on the job.
//
// Both reads must see the same bytes: `open` returns the same immutable upload each time (a private
// file written once locally; the S3 object pinned by the ETag of the first read, so a second PUT to
// the same URL makes the second read fail rather than write other content). A failure while writing
// leaves the job failed with `written` of `count` stored; importing the same file again completes it.

import type { ImportStore } from '../../import/check.js';
import {
  ImportIncompleteError,
  type ImportProgress,
  ImportSourceError,
  importParsed,
} from '../../import/import-file.js';
import { readDocumentsFrom } from '../../import/parse.js';
import type { ImportJob, ImportJobUpdate } from '../../ports/import-jobs.js';
import type { Stores } from '../../store/stores.js';

/** How many line errors a job keeps (the contract's first 1000); all are counted. */
export const MAX_JOB_ERRORS = 1000;
/** The job shows its progress (lines validated, documents written) every this many lines. */
export const PROGRESS_EVERY = 10_000;

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
    /** Stops the import between batches (the Lambda's remaining time); the job then says how far it got. */
    signal?: AbortSignal;
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
  const progress = jobProgress(store, job.id, deps.log);
  // importParsed reads twice; the second read is pass 2, when writing starts.
  async function* read() {
    reads++;
    if (reads === 2) {
      await progress.settled();
      await store.importJobs.updateImportJob(job.id, ['validating'], {
        status: 'writing',
        count: progress.validated(),
      });
    }
    yield* readDocumentsFrom(await input.open(), job.kind, job.format);
  }
  try {
    const result = await importParsed(read, job.kind, store, {
      maxErrors: MAX_JOB_ERRORS,
      onProgress: progress.report,
      ...(input.signal && { signal: input.signal }),
    });
    await progress.settled();
    if (result.ok) {
      await store.importJobs.updateImportJob(job.id, ['writing'], {
        status: 'succeeded',
        count: result.count,
        written: result.written,
        ...(result.newEvents !== undefined && { newEvents: result.newEvents }),
        ...(result.keptOptedOut !== undefined && { keptOptedOut: result.keptOptedOut }),
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
    // job says so instead of staying "validating" forever. Writes already made stay: each is a
    // validated document, and a new job with the same file completes them (upserts, events once).
    await progress.settled();
    if (!(err instanceof ImportSourceError)) deps.log?.error('import job failed', err);
    await store.importJobs.updateImportJob(job.id, ['validating', 'writing'], failure(err, reads));
  }
  const done = await store.importJobs.getImportJob(job.id);
  return done ? { outcome: 'finished', job: done } : { outcome: 'unknown-job' };
}

function failure(err: unknown, reads: number): ImportJobUpdate {
  if (err instanceof ImportIncompleteError)
    return { status: 'failed', message: err.message, count: err.count, written: err.written };
  const message = err instanceof Error ? err.message : String(err);
  // Before the write pass began, nothing was stored; say so, so nobody has to wonder.
  return { status: 'failed', message: reads < 2 ? `${message}; nothing was stored` : message };
}

/**
 * Progress on the job every PROGRESS_EVERY lines (a client polling it shows it), one conditional
 * update at a time: one that arrives after the job finished changes nothing.
 */
function jobProgress(
  store: Pick<Stores, 'importJobs'>,
  id: string,
  log: ImportJobDeps['log'],
): { report: (p: ImportProgress) => void; settled: () => Promise<void>; validated: () => number } {
  let inFlight: Promise<unknown> = Promise.resolve();
  let next = PROGRESS_EVERY;
  let phase: ImportProgress['phase'] = 'validate';
  let validated = 0;
  return {
    validated: () => validated,
    report: (p) => {
      if (p.phase === 'validate') validated = p.lines;
      if (p.phase !== phase) {
        phase = p.phase;
        next = PROGRESS_EVERY;
      }
      const at = p.phase === 'validate' ? p.lines : p.written;
      if (at < next) return;
      next = at - (at % PROGRESS_EVERY) + PROGRESS_EVERY;
      const update: ImportJobUpdate = p.phase === 'validate' ? { count: p.lines } : { written: p.written };
      const from = p.phase === 'validate' ? (['validating'] as const) : (['writing'] as const);
      inFlight = inFlight
        .then(() => store.importJobs.updateImportJob(id, from, update))
        .catch((err: unknown) => log?.error('import progress not recorded', err));
    },
    settled: async () => {
      await inFlight;
    },
  };
}
