// Bulk import, all or nothing: `touchpoint import customers|contracts|events FILE` and the API's bodies.
//
// Two passes over the input. Pass 1 streams and validates every line (schemas, duplicate ids, and for
// events that the customer exists) and collects all problems; only when there are none does pass 2
// stream the input again and write it in batches. Validation completes before the first write, so bad
// input stores nothing. A crash during pass 2 leaves a prefix of the file stored, and a rerun completes
// it: customers and contracts are upserts by id, events are insert-if-absent by id. Streaming twice
// instead of keeping the valid documents keeps memory flat for files of millions of lines.
import { type CheckOptions, checkAll, type ImportProgress, type ImportStore } from './check.js';
import { ImportSourceError } from './errors.js';
import { type ImportFormat, type ParsedLine, readDocuments } from './parse.js';
import { type DocumentKind, type DocumentOf, type LineError, validateDocument } from './validate.js';

export type { ImportProgress, ImportStore } from './check.js';
export { ImportSourceError } from './errors.js';
export type { ImportFormat } from './parse.js';
export type { DocumentKind, LineError } from './validate.js';

export type ImportResult =
  | { ok: true; count: number; written: number; newEvents?: number }
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
  onProgress?: (p: ImportProgress) => void;
  /** How many problems to keep in detail (default 1000); all are counted. */
  maxErrors?: number;
}

/**
 * Imports a file. Throws ImportSourceError when the file as a whole cannot be imported (unreadable,
 * a format not accepted for the kind, or changed between the passes); bad lines are a refused result.
 */
export function importFile(
  opts: { path: string; kind: DocumentKind; store: ImportStore; format?: ImportFormat } & ImportOptions,
): Promise<ImportResult> {
  const format = opts.format;
  return importFrom(
    () => readDocuments(opts.path, opts.kind, format ? { format } : {}),
    opts.kind,
    opts.store,
    opts,
  );
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
  };
  const { count, log } = await checkAll(read(), kind, store, check);
  if (log.total > 0) {
    const errors = log.errors();
    return { ok: false, errors, count, errorCount: log.total, moreErrors: log.total - errors.length };
  }
  const { written, newEvents } = await writeAll(read(), kind, writers(store), check);
  if (written !== count) {
    throw new ImportSourceError(
      'changed-during-import',
      `read ${count} documents, then ${written} when writing`,
    );
  }
  return kind === 'events' ? { ok: true, count, written, newEvents } : { ok: true, count, written };
}

type Writers = { [K in DocumentKind]: (docs: DocumentOf[K][]) => Promise<number> };

/** Each kind's batch write; returns how many events were new (0 for upserts). */
function writers(store: ImportStore): Writers {
  return {
    customers: async (docs) => {
      await store.documents.putCustomers(docs);
      return 0;
    },
    contracts: async (docs) => {
      await store.documents.putContracts(docs);
      return 0;
    },
    events: async (docs) => (await store.documents.putEvents(docs)).length,
  };
}

/** Pass 2: the input already validated; writes it in batches. */
async function writeAll<K extends DocumentKind>(
  lines: AsyncIterable<ParsedLine>,
  kind: K,
  write: Writers,
  opts: CheckOptions,
): Promise<{ written: number; newEvents: number }> {
  const put: (docs: DocumentOf[K][]) => Promise<number> = write[kind];
  let batch: DocumentOf[K][] = [];
  let lineCount = 0;
  let written = 0;
  let newEvents = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const docs = batch;
    batch = [];
    newEvents += await put(docs);
    written += docs.length;
    opts.onProgress?.({ phase: 'write', lines: lineCount, written });
  };
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
  return { written, newEvents };
}

function changed(line: number): ImportSourceError {
  return new ImportSourceError(
    'changed-during-import',
    `line ${line} was valid when checked but not when written: the input changed during the import`,
  );
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
