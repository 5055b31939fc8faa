// The cloud's import of files too large for one invocation (docs/imports-at-scale.md), one use case
// per step of the state machine in infra/constructs/uploads.ts:
//
//   plan → validate each chunk (Map) → duplicates per id partition (Map) → decide → write each chunk (Map) → finish
//
// All or nothing is kept: the plan pins the object by its ETag; each chunk is validated on its own
// (lines numbered as in the whole file) and records its problems and its ids as work files; ids are
// compared across chunks partition by partition; only when no chunk and no partition found a
// problem does the job move to `writing`, and each chunk then writes exactly the documents it
// validated. Writes are upserts by id and conditional event inserts, so a redriven write is harmless.
import { checkAll, ErrorLog, type ImportStore } from '../../import/check.js';
import { planChunks } from '../../import/chunks.js';
import { ImportSourceError } from '../../import/errors.js';
import { WRITE_CONCURRENCY, writeAll, writers } from '../../import/import-file.js';
import { readRangeDocuments } from '../../import/parse.js';
import { IdRegistry, type LineError } from '../../import/validate.js';
import type { Clock } from '../../ports/clock.js';
import type { ImportObjects } from '../../ports/import-objects.js';
import type { Stores } from '../../store/stores.js';
import {
  type Chunk,
  type ChunkedJob,
  type ChunkProblems,
  chunkIdsSchema,
  chunkProblemsSchema,
  duplicateProblemsSchema,
  type WriteResult,
} from './chunked-schemas.js';
import { MAX_JOB_ERRORS } from './run-import.js';
import { parseImportObjectKey } from './s3-uploads.js';

/** Bytes per chunk: ~50,000 customer lines, validated or written well within one invocation. */
export const CHUNK_TARGET_BYTES = 16 * 1024 * 1024;
/** Uploads this large or larger take the chunked path; smaller ones stay with the single importer. */
export const CHUNKED_IMPORT_MIN_BYTES = 64 * 1024 * 1024;
/** Id partitions compared for duplicates across chunks (each a Map iteration). */
export const ID_PARTITIONS = 16;
/** Documents per validation lookup and per write call, as the single importer's. */
const BATCH_SIZE = 500;
/** Work files live beside the uploads, outside the prefix whose objects start an import. */
export const WORK_PREFIX = 'import-work/';

export interface ChunkedImportDeps {
  store: ImportStore & Pick<Stores, 'importJobs'>;
  objects: ImportObjects;
  clock: Clock;
  /** Bytes per chunk (default CHUNK_TARGET_BYTES); tests cut small files into several. */
  chunkBytes?: number;
}

const problemsKey = (job: ChunkedJob, chunk: number) =>
  `${WORK_PREFIX}${job.importId}/problems/${chunk}.json`;
const idsKey = (job: ChunkedJob, partition: number, chunk: number) =>
  `${WORK_PREFIX}${job.importId}/ids/${partition}/${chunk}.json`;
const duplicatesKey = (job: ChunkedJob, partition: number) =>
  `${WORK_PREFIX}${job.importId}/duplicates/${partition}.json`;

/** Which path an upload of `size` bytes takes. */
export function importPathFor(size: number | undefined): 'single' | 'chunked' {
  return size !== undefined && size >= CHUNKED_IMPORT_MIN_BYTES ? 'chunked' : 'single';
}

/** The partition an id is compared in (FNV-1a over its UTF-16 code units). */
export function partitionOf(id: string, partitions = ID_PARTITIONS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

export type PlanOutput =
  | { claimed: false }
  | {
      claimed: true;
      job: ChunkedJob;
      chunks: Chunk[];
      partitions: number[];
      /** The Maps' sizes, for the steps after them (no intrinsic needed in the definition). */
      chunkCount: number;
      partitionCount: number;
    };

/** Claims the job and cuts the upload into chunks in one sequential read pinned by its ETag. */
export async function planImport(
  deps: Pick<ChunkedImportDeps, 'store' | 'objects' | 'chunkBytes'>,
  input: { importId: string; bucket: string; key: string; targetBytes?: number },
): Promise<PlanOutput> {
  const target = parseImportObjectKey(input.key);
  if (!target || target.importId !== input.importId) return { claimed: false };
  if (!(await deps.store.importJobs.updateImportJob(input.importId, ['pending'], { status: 'validating' })))
    return { claimed: false };
  const { body, etag } = await deps.objects.read({ bucket: input.bucket, key: input.key });
  const manifest = await planChunks(body, {
    targetBytes: input.targetBytes ?? deps.chunkBytes ?? CHUNK_TARGET_BYTES,
    format: target.format,
  });
  const job: ChunkedJob = {
    importId: input.importId,
    bucket: input.bucket,
    key: input.key,
    etag,
    kind: target.kind,
    format: target.format,
    ...(manifest.header && { header: manifest.header }),
  };
  return {
    claimed: true,
    job,
    chunks: manifest.chunks.map((c, index) => ({ index, ...c })),
    partitions: Array.from({ length: ID_PARTITIONS }, (_, i) => i),
    chunkCount: manifest.chunks.length,
    partitionCount: ID_PARTITIONS,
  };
}

/** The documents of one chunk, lines numbered as in the whole file. */
async function chunkDocuments(objects: ImportObjects, job: ChunkedJob, chunk: Chunk) {
  const pinned = { bucket: job.bucket, key: job.key, etag: job.etag };
  const header =
    job.header && chunk.firstLine !== 1
      ? (await objects.read({ ...pinned, range: job.header })).body
      : undefined;
  const { body } = await objects.read({ ...pinned, range: { start: chunk.start, end: chunk.end } });
  return readRangeDocuments({ body, header, kind: job.kind, format: job.format, firstLine: chunk.firstLine });
}

/** Validates one chunk, writing nothing to the store: its problems and its ids go to work files. */
export async function validateChunk(
  deps: Pick<ChunkedImportDeps, 'store' | 'objects'>,
  input: { job: ChunkedJob; chunk: Chunk },
): Promise<{ count: number; errorCount: number }> {
  const { job, chunk } = input;
  const ids: [string, number][][] = Array.from({ length: ID_PARTITIONS }, () => []);
  let problems: ChunkProblems;
  try {
    const { count, log } = await checkAll(
      await chunkDocuments(deps.objects, job, chunk),
      job.kind,
      deps.store,
      {
        batchSize: BATCH_SIZE,
        maxErrors: MAX_JOB_ERRORS,
        onId: (id, line) => ids[partitionOf(id)]?.push([id, line]),
      },
    );
    problems = { count, errorCount: log.total, errors: log.errors() };
  } catch (err) {
    // The bytes as a whole are refused (not UTF-8, the object replaced): the import is, by decide.
    if (!(err instanceof ImportSourceError)) throw err;
    problems = { count: 0, errorCount: 0, errors: [], sourceError: err.message };
  }
  await Promise.all(
    ids.map((list, p) => deps.objects.putWork(job.bucket, idsKey(job, p, chunk.index), JSON.stringify(list))),
  );
  await deps.objects.putWork(job.bucket, problemsKey(job, chunk.index), JSON.stringify(problems));
  return { count: problems.count, errorCount: problems.errorCount };
}

async function readWork<T>(
  objects: ImportObjects,
  bucket: string,
  key: string,
  schema: { parse(v: unknown): T },
): Promise<T> {
  const text = await objects.getWork(bucket, key);
  if (text === undefined)
    throw new ChunkedImportError(`${key} is missing: a step before this one did not finish`);
  return schema.parse(JSON.parse(text));
}

/** Ids seen more than once across all chunks, one partition: the same refusals one pass gives. */
export async function checkDuplicates(
  deps: Pick<ChunkedImportDeps, 'objects'>,
  input: { job: ChunkedJob; chunks: number; partition: number },
): Promise<{ errorCount: number }> {
  const { job, partition } = input;
  const all: [string, number][] = [];
  for (let c = 0; c < input.chunks; c++)
    for (const entry of await readWork(deps.objects, job.bucket, idsKey(job, partition, c), chunkIdsSchema))
      all.push(entry);
  all.sort((a, b) => a[1] - b[1]);
  const registry = new IdRegistry();
  const log = new ErrorLog(MAX_JOB_ERRORS);
  for (const [id, line] of all) {
    const duplicate = registry.check(id, line);
    if (duplicate) log.add(duplicate);
  }
  const result = { errorCount: log.total, errors: log.errors() };
  await deps.objects.putWork(job.bucket, duplicatesKey(job, partition), JSON.stringify(result));
  return { errorCount: result.errorCount };
}

/**
 * Any problem in any chunk or partition → the job fails with the first problems by line and nothing
 * was written; otherwise it moves to `writing`.
 */
export async function decideImport(
  deps: Pick<ChunkedImportDeps, 'store' | 'objects'>,
  input: { job: ChunkedJob; chunks: number; partitions: number },
): Promise<{ ok: boolean; count: number; errorCount: number }> {
  const { job } = input;
  const { importJobs } = deps.store;
  const errors: LineError[] = [];
  let errorCount = 0;
  // Duplicates first: one pass lists a line's duplicate id before its other problems.
  for (let p = 0; p < input.partitions; p++) {
    const d = await readWork(deps.objects, job.bucket, duplicatesKey(job, p), duplicateProblemsSchema);
    errors.push(...d.errors);
    errorCount += d.errorCount;
  }
  let count = 0;
  let sourceError: string | undefined;
  for (let c = 0; c < input.chunks; c++) {
    const problems = await readWork(deps.objects, job.bucket, problemsKey(job, c), chunkProblemsSchema);
    sourceError ??= problems.sourceError;
    count += problems.count;
    errors.push(...problems.errors);
    errorCount += problems.errorCount;
  }
  if (sourceError !== undefined) {
    await importJobs.updateImportJob(job.importId, ['validating'], {
      status: 'failed',
      message: `${sourceError}; nothing was stored`,
    });
    return { ok: false, count, errorCount };
  }
  if (errorCount > 0) {
    const listed = errors.map((e, i) => ({ e, i })).sort((a, b) => a.e.line - b.e.line || a.i - b.i);
    await importJobs.updateImportJob(job.importId, ['validating'], {
      status: 'failed',
      count,
      errors: listed.slice(0, MAX_JOB_ERRORS).map(({ e }) => e),
      errorCount,
    });
    return { ok: false, count, errorCount };
  }
  await importJobs.updateImportJob(job.importId, ['validating'], { status: 'writing', count });
  return { ok: true, count, errorCount: 0 };
}

/** Writes one validated chunk; run again (a redrive) it writes the same documents to the same end. */
export async function writeChunk(
  deps: ChunkedImportDeps,
  input: { job: ChunkedJob; chunk: Chunk },
): Promise<WriteResult> {
  const { job, chunk } = input;
  const current = await deps.store.importJobs.getImportJob(job.importId);
  if (current?.status !== 'writing')
    throw new ChunkedImportError(`import ${job.importId} is ${current?.status ?? 'gone'}, not writing`);
  const validated = await readWork(
    deps.objects,
    job.bucket,
    problemsKey(job, chunk.index),
    chunkProblemsSchema,
  );
  const progress = { written: 0, newEvents: 0 };
  const tally = { keptOptedOut: 0 };
  await writeAll(
    await chunkDocuments(deps.objects, job, chunk),
    job.kind,
    writers(deps.store, tally, deps.clock),
    {
      batchSize: BATCH_SIZE,
      maxErrors: MAX_JOB_ERRORS,
      concurrency: job.kind === 'customers' ? WRITE_CONCURRENCY : 1,
      progress,
    },
  );
  if (progress.written !== validated.count)
    throw new ImportSourceError(
      'changed-during-import',
      `chunk ${chunk.index} had ${validated.count} documents when validated and ${progress.written} when written`,
    );
  // Progress for a client polling the job (the CLI gives up on a job that shows none for minutes).
  // Read-modify-write, so chunks ending together may under-count; FinishImport sets the exact figure.
  const now = await deps.store.importJobs.getImportJob(job.importId);
  const written = Math.min(now?.count ?? progress.written, (now?.written ?? 0) + progress.written);
  await deps.store.importJobs.updateImportJob(job.importId, ['writing'], { written });
  return { written: progress.written, newEvents: progress.newEvents, keptOptedOut: tally.keptOptedOut };
}

/** Every chunk written: the job succeeded, with the same counts one pass reports. */
export async function finishImport(
  deps: Pick<ChunkedImportDeps, 'store'>,
  input: { job: ChunkedJob; results: WriteResult[] },
): Promise<void> {
  const sum = (f: (r: WriteResult) => number) => input.results.reduce((n, r) => n + f(r), 0);
  const written = sum((r) => r.written);
  const keptOptedOut = sum((r) => r.keptOptedOut);
  await deps.store.importJobs.updateImportJob(input.job.importId, ['writing'], {
    status: 'succeeded',
    count: written,
    written,
    ...(input.job.kind === 'events' && { newEvents: sum((r) => r.newEvents) }),
    ...(keptOptedOut > 0 && { keptOptedOut }),
  });
}

/** A step failed past its retries: the job says so (and whether anything was stored) instead of hanging. */
export async function failImport(
  deps: Pick<ChunkedImportDeps, 'store'>,
  input: { importId: string; error?: string | undefined; cause?: string | undefined },
): Promise<void> {
  const job = await deps.store.importJobs.getImportJob(input.importId);
  if (job?.status !== 'validating' && job?.status !== 'writing') return;
  const why = [input.error, input.cause].filter(Boolean).join(': ') || 'a step failed';
  const message =
    job.status === 'validating'
      ? `${why}; nothing was stored`
      : `the import stopped while writing (${why}); import the same file again to complete it`;
  await deps.store.importJobs.updateImportJob(job.id, [job.status], { status: 'failed', message });
}

/** A step found the work of an earlier one missing or the job in another state. */
export class ChunkedImportError extends Error {
  override readonly name = 'ChunkedImportError';
}
