// Bulk import, all or nothing: `touchpoint import customers|contracts|events FILE` and the API's bodies.
//
// Two passes over one immutable input. Pass 1 streams and validates every line (schemas, sizes,
// duplicate ids, and for events that the customer exists) and collects all problems; only when
// there are none does pass 2 stream the same input again and write it in batches. The input cannot
// change between the passes: a file is copied once and both passes read the copy; an API body is
// held in memory; an upload is a private file written once (locally) or an S3 object pinned by its
// ETag (run-import.ts). So bad input stores nothing, and what is stored is exactly what was validated.
//
// A failure in pass 2 (the store fails, the process dies, the time runs out) leaves part of the
// validated documents stored (a prefix, but for the batches that were in flight: customers are
// written a few batches at once), and importing the same input again completes it: customers and
// contracts are upserts by id, events are inserted if absent by id, and the store finishes an
// event's follow-ups (activity, references) even when its row was written by the failed attempt.
// The end state is exactly that of one clean import (ImportIncompleteError says how far it got).
// Streaming twice instead of keeping the valid documents keeps memory flat for files of millions of lines.
import { constants } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ConsentTally } from '../domain/consent.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { attributeArrivals } from '../usecases/results/attribute.js';
import { type CheckOptions, checkAll, type ImportProgress, type ImportStore } from './check.js';
import { ImportIncompleteError, ImportSourceError } from './errors.js';
import { assertReadableFile, type ImportFormat, type ParsedLine, readDocuments } from './parse.js';
import { type DocumentKind, type DocumentOf, type LineError, validateDocument } from './validate.js';

export type { ImportProgress, ImportStore } from './check.js';
export { ImportIncompleteError, ImportSourceError } from './errors.js';
export type { ImportFormat } from './parse.js';
export type { DocumentKind, LineError } from './validate.js';

/**
 * Customers' batches written at once. Each batch is already 20 BatchWriteItem calls, 4 in parallel
 * (table.ts); 4 batches keep DynamoDB Local (2 cores) busy while this process parses the next lines.
 */
export const WRITE_CONCURRENCY = 4;

export type ImportResult =
  | {
      ok: true;
      count: number;
      written: number;
      newEvents?: number;
      /**
       * Customers only, when not 0: records that asked to resubscribe a customer whose own opt-out
       * stands (docs/consent.md).
       */
      keptOptedOut?: number;
    }
  | {
      ok: false;
      /** The first `maxErrors` problems by line. */
      errors: LineError[];
      /** Documents read (lines that parsed as a document, valid or not). */
      count: number;
      /** All problems found, including those not kept in `errors`. */
      errorCount: number;
      /** errorCount - errors.length: problems found but not listed. */
      moreErrors: number;
    };

export interface ImportOptions {
  /** Documents per write call (default 500). Events' customer lookups use the same batch size. */
  batchSize?: number;
  /**
   * Customers' write calls in flight at once (default WRITE_CONCURRENCY). Contracts and events are
   * written one batch at a time: their follow-ups (attribution, a customer's activity) read what an
   * earlier batch wrote.
   */
  writeConcurrency?: number;
  onProgress?: (p: ImportProgress) => void;
  /** How many problems to keep in detail (default 1000); all are counted. */
  maxErrors?: number;
  /** Stops the import between batches (a Lambda near its timeout); a stop in pass 2 is an ImportIncompleteError. */
  signal?: AbortSignal;
  /** When imported contracts arrive, for attribution of renewals (default: the system clock; the demo's is simulated). */
  clock?: Clock;
}

/**
 * Imports a file, from a private copy of it. Throws ImportSourceError when the file as a whole cannot
 * be imported (unreadable, or a format not accepted for the kind) and ImportIncompleteError when
 * writing stopped part-way; bad lines are a refused result.
 */
export async function importFile(
  opts: { path: string; kind: DocumentKind; store: ImportStore; format?: ImportFormat } & ImportOptions,
): Promise<ImportResult> {
  const format = opts.format;
  const snapshot = await snapshotOf(opts.path);
  try {
    return await importFrom(
      () => readDocuments(snapshot.path, opts.kind, format ? { format } : {}),
      opts.kind,
      opts.store,
      opts,
    );
  } finally {
    await snapshot.remove();
  }
}

/**
 * A private copy of the file (same name, so its extension still names the format), which both passes
 * read: an edit to the file during the import cannot reach the write pass. Copying costs one read
 * and write of the file, far less than validating and storing it.
 */
async function snapshotOf(path: string): Promise<{ path: string; remove: () => Promise<void> }> {
  await assertReadableFile(path);
  const dir = await mkdtemp(join(tmpdir(), 'touchpoint-import-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const copy = join(dir, basename(path));
  try {
    await copyFile(path, copy, constants.COPYFILE_FICLONE);
  } catch (err) {
    await remove();
    throw new ImportSourceError('unreadable', `cannot read ${path}: ${messageOf(err)}`, { cause: err });
  }
  return { path: copy, remove };
}

/** Imports documents already in memory (an API body); `line` in errors is the index + 1. */
export function importDocuments(
  values: readonly unknown[],
  kind: DocumentKind,
  store: ImportStore,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  async function* lines(): AsyncGenerator<ParsedLine> {
    for (let i = 0; i < values.length; i++) yield { line: i + 1, value: values[i] };
  }
  return importFrom(lines, kind, store, opts);
}

/** Imports already-parsed lines (e.g. an NDJSON request body through ndjsonLines), all or nothing. */
export function importParsed(
  read: () => AsyncIterable<ParsedLine>,
  kind: DocumentKind,
  store: ImportStore,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  return importFrom(read, kind, store, opts);
}

async function importFrom(
  read: () => AsyncIterable<ParsedLine>,
  kind: DocumentKind,
  store: ImportStore,
  opts: ImportOptions,
): Promise<ImportResult> {
  const check: CheckOptions = {
    batchSize: positiveInt(opts.batchSize, 500),
    maxErrors: positiveInt(opts.maxErrors, 1000),
    onProgress: opts.onProgress,
    signal: opts.signal,
  };
  const { count, log } = await checkAll(read(), kind, store, check);
  if (log.total > 0) {
    const errors = log.errors();
    return { ok: false, errors, count, errorCount: log.total, moreErrors: log.total - errors.length };
  }
  const progress = { written: 0, newEvents: 0 };
  const tally = { keptOptedOut: 0 };
  const concurrency = kind === 'customers' ? positiveInt(opts.writeConcurrency, WRITE_CONCURRENCY) : 1;
  try {
    await writeAll(read(), kind, writers(store, tally, opts.clock ?? systemClock), {
      ...check,
      concurrency,
      progress,
    });
  } catch (err) {
    // The input itself is refused (it changed, or cannot be read again): say that, not "retry".
    if (err instanceof ImportSourceError) throw err;
    throw new ImportIncompleteError(progress.written, count, { cause: err });
  }
  const { written, newEvents } = progress;
  if (written !== count) {
    throw new ImportSourceError(
      'changed-during-import',
      `read ${count} documents, then ${written} when writing`,
    );
  }
  if (kind === 'events') return { ok: true, count, written, newEvents };
  // Said only when it happened: most imports resubscribe nobody against their will.
  if (tally.keptOptedOut > 0) return { ok: true, count, written, keptOptedOut: tally.keptOptedOut };
  return { ok: true, count, written };
}

export type Writers = { [K in DocumentKind]: (docs: DocumentOf[K][]) => Promise<number> };

/** Each kind's batch write; returns how many events were new (0 for upserts). */
export function writers(store: ImportStore, tally: ConsentTally, clock: Clock): Writers {
  return {
    customers: async (docs) => {
      await store.documents.putCustomers(docs, { source: 'import', tally });
      return 0;
    },
    contracts: async (docs) => {
      await store.documents.putContracts(docs);
      // A renewed or extended contract may be a campaign's conversion (docs/attribution.md).
      await attributeArrivals(store, { contracts: docs, at: clock.now().toISOString() });
      return 0;
    },
    events: async (docs) => {
      const fresh = new Set(await store.documents.putEvents(docs));
      // New events only: one imported again was attributed the first time.
      await attributeArrivals(store, {
        events: docs.filter((e) => fresh.has(e.id)),
        at: clock.now().toISOString(),
      });
      return fresh.size;
    },
  };
}

/**
 * Pass 2: the input already validated; writes it in batches, up to `concurrency` batches at once,
 * counting into `progress` as each completes. Pass 1 refused duplicate ids, so batches in flight
 * together never write the same document. On a failure no further batch starts; those in flight
 * finish (or fail) before the first failure is thrown, so `written` counts every completed write.
 */
export async function writeAll<K extends DocumentKind>(
  lines: AsyncIterable<ParsedLine>,
  kind: K,
  write: Writers,
  opts: CheckOptions & { concurrency: number; progress: { written: number; newEvents: number } },
): Promise<void> {
  const { progress } = opts;
  const put: (docs: DocumentOf[K][]) => Promise<number> = write[kind];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let batch: DocumentOf[K][] = [];
  let lineCount = 0;
  const settle = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    while (inFlight.size >= opts.concurrency) await Promise.race(inFlight);
    if (failure) return settle();
    opts.signal?.throwIfAborted();
    const docs = batch;
    batch = [];
    const task = put(docs).then(
      (fresh) => {
        progress.newEvents += fresh;
        progress.written += docs.length;
        opts.onProgress?.({ phase: 'write', lines: lineCount, written: progress.written });
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  try {
    for await (const item of lines) {
      // Pass 1 found no problem; one now means the file was edited while we were importing it.
      if ('error' in item) throw changed(item.line);
      lineCount++;
      const result = validateDocument(kind, item.value, item.line);
      if (!result.ok) throw changed(item.line);
      batch.push(result.doc);
      if (batch.length >= opts.batchSize) await flush();
    }
    await flush();
  } finally {
    // Whatever stopped the loop, the writes under way end before the import reports how far it got.
    await Promise.allSettled(inFlight);
  }
  await settle();
}

function changed(line: number): ImportSourceError {
  return new ImportSourceError(
    'changed-during-import',
    `line ${line} was valid when checked but not when written: the input changed during the import`,
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
