// Streaming readers for import files: NDJSON (one JSON document a line) and CSV (customers and
// contracts). Neither loads the file whole: files may have millions of lines.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { MAX_DOCUMENT_BYTES, MAX_LINE_BYTES } from '../domain/limits.js';
import { type Column, readHeader, rowToDocument } from './columns.js';
import { csvRecords } from './csv.js';
import { ImportSourceError } from './errors.js';
import { boundedLines } from './lines.js';
import { type DocumentKind, documentSchemas, type LineError } from './validate.js';

export type ImportFormat = 'ndjson' | 'csv';

/** One document read from its line (1-based, where the record starts), or why that line is unreadable. */
export type ParsedLine = { line: number; value: unknown } | { line: number; error: LineError };

const EXTENSIONS: Record<string, ImportFormat> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'ndjson',
};

/** Kinds with a flat enough shape for CSV; events carry free-form `data` and come as NDJSON. */
const CSV_KINDS: readonly DocumentKind[] = ['customers', 'contracts'];

/** Refuses a path that is not a readable regular file, as an ImportSourceError naming it. */
export async function assertReadableFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ImportSourceError('unreadable', `${path} is not a file`);
  } catch (err) {
    if (err instanceof ImportSourceError) throw err;
    throw new ImportSourceError('unreadable', `cannot read ${path}: ${messageOf(err)}`, { cause: err });
  }
}

export async function* readDocuments(
  path: string,
  kind: DocumentKind,
  opts: { format?: ImportFormat } = {},
): AsyncGenerator<ParsedLine> {
  await assertReadableFile(path);
  const format = opts.format ?? EXTENSIONS[extname(path).toLowerCase()] ?? (await sniffFormat(path));
  if (format === 'csv') {
    if (!CSV_KINDS.includes(kind)) {
      throw new ImportSourceError('unsupported-format', `${kind} are imported from NDJSON only, not CSV`);
    }
    yield* readCsv(path, kind);
  } else {
    yield* readNdjson(path);
  }
}

/** NDJSON when the first non-blank character opens a JSON object or array; CSV otherwise. */
export async function sniffFormat(path: string): Promise<ImportFormat> {
  const handle = await open(path);
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer
      .toString('utf8', 0, bytesRead)
      .replace(/^\uFEFF/, '')
      .trimStart();
    return head === '' || head.startsWith('{') || head.startsWith('[') ? 'ndjson' : 'csv';
  } finally {
    await handle.close();
  }
}

function readNdjson(path: string): AsyncGenerator<ParsedLine> {
  return ndjsonLines(textChunks(path));
}

const bytes = (n: number) => n.toLocaleString('en');

/** Why a line over MAX_LINE_BYTES is refused unread. */
export const lineTooLongMessage = (size: number): string =>
  `line is ${bytes(size)} bytes; a line may be at most ${bytes(MAX_LINE_BYTES)} bytes and a document at most ${bytes(MAX_DOCUMENT_BYTES)}`;

/**
 * NDJSON text (a file's, an upload's or an API body's chunks) as documents, numbered by physical
 * line (blank lines skipped but counted), so every path gives the same line numbers and messages.
 * A line over MAX_LINE_BYTES is refused by its number without being parsed.
 */
export async function* ndjsonLines(
  chunks: AsyncIterable<string> | Iterable<string>,
  opts: { firstLine?: number } = {},
): AsyncGenerator<ParsedLine> {
  for await (const raw of boundedLines(chunks, MAX_LINE_BYTES, opts.firstLine)) {
    const { line } = raw;
    if ('tooLong' in raw) {
      yield { line, error: { line, path: '', message: lineTooLongMessage(raw.bytes) } };
      continue;
    }
    const body = line === 1 ? raw.text.replace(/^\uFEFF/, '') : raw.text;
    if (body.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(body) };
    } catch (err) {
      yield { line, error: { line, path: '', message: `invalid JSON: ${messageOf(err)}` } };
    }
  }
}

function readCsv(path: string, kind: DocumentKind): AsyncGenerator<ParsedLine> {
  return csvDocuments(textChunks(path), kind);
}

/**
 * Documents from a stream that is not a file (an S3 object body, an uploaded request body): the
 * same readers as readDocuments, with the format given rather than guessed from a name.
 */
export async function* readDocumentsFrom(
  source: AsyncIterable<string | Uint8Array>,
  kind: DocumentKind,
  format: ImportFormat,
): AsyncGenerator<ParsedLine> {
  if (format === 'csv') {
    if (!CSV_KINDS.includes(kind)) {
      throw new ImportSourceError('unsupported-format', `${kind} are imported from NDJSON only, not CSV`);
    }
    yield* csvDocuments(decodeChunks(source), kind);
  } else {
    yield* ndjsonLines(decodeChunks(source));
  }
}

/**
 * UTF-8 text of a byte stream; a character split across chunks is decoded whole. Bytes that are not
 * UTF-8 refuse the input as a whole, naming the line: decoded anyway, each would be stored as U+FFFD
 * (a Latin-1 or GBK export, its names garbled without a word).
 */
async function* decodeChunks(
  source: AsyncIterable<string | Uint8Array>,
  name = 'the input',
  firstLine = 1,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let breaks = firstLine - 1;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (err) {
      const lenient = new TextDecoder('utf-8').decode(chunk);
      const line = breaks + 1 + lineBreaks(lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))));
      throw new ImportSourceError('not-utf8', `${name} is not UTF-8 text (line ${line}): save it as UTF-8`, {
        cause: err,
        line,
      });
    }
  };
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decode(chunk);
    breaks += lineBreaks(text);
    if (text !== '') yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}

/** LF line breaks in a text (for the line an encoding error is on; CR-only files are rare). */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A part of an upload read on its own (the cloud's chunked import, docs/imports-at-scale.md): its
 * bytes start on a record of file line `firstLine`, and for CSV the header record's bytes come
 * first. Documents, problems and line numbers are exactly those one pass over the whole file gives
 * for these lines; a CSV header's own problems are reported by the part that holds it (firstLine 1).
 */
export async function* readRangeDocuments(input: {
  body: AsyncIterable<string | Uint8Array>;
  header?: AsyncIterable<string | Uint8Array> | undefined;
  kind: DocumentKind;
  format: ImportFormat;
  firstLine: number;
}): AsyncGenerator<ParsedLine> {
  const { kind, firstLine } = input;
  if (input.format === 'ndjson') {
    yield* ndjsonLines(decodeChunks(input.body, 'the input', firstLine), { firstLine });
    return;
  }
  if (!CSV_KINDS.includes(kind)) {
    throw new ImportSourceError('unsupported-format', `${kind} are imported from NDJSON only, not CSV`);
  }
  const body = decodeChunks(input.body, 'the input', firstLine);
  if (firstLine === 1 || input.header === undefined) {
    yield* csvDocuments(body, kind, { firstLine });
    return;
  }
  // The header, read again to know the columns; its problems are the first part's to report.
  let columns: { line: number; columns: Column[] } | undefined;
  for await (const item of csvDocumentsHeader(decodeChunks(input.header), kind)) columns = item;
  if (columns) yield* csvDocuments(body, kind, { firstLine, header: columns });
}

async function* csvDocumentsHeader(
  chunks: AsyncIterable<string>,
  kind: DocumentKind,
): AsyncGenerator<{ line: number; columns: Column[] }> {
  for await (const item of csvRecords(chunks)) {
    if (item.kind === 'error') return;
    if (item.fields.length === 1 && item.fields[0]?.trim() === '') continue;
    const result = readHeader(item.fields, item.line, documentSchemas[kind]);
    if (result.ok) yield { line: item.line, columns: result.columns };
    return;
  }
  // No header at all in the header's range: reading on would drop this part's rows unseen.
  throw new ImportSourceError('unreadable', 'the CSV header range holds no header record');
}

async function* csvDocuments(
  chunks: AsyncIterable<string>,
  kind: DocumentKind,
  opts: { firstLine?: number; header?: { line: number; columns: Column[] } } = {},
): AsyncGenerator<ParsedLine> {
  let header: { line: number; columns: Column[] } | undefined = opts.header;
  for await (const item of csvRecords(chunks, opts.firstLine)) {
    if (item.kind === 'error') {
      yield {
        line: item.line,
        error: { line: item.line, path: '', message: `invalid CSV: ${item.message}` },
      };
      if (item.fatal) return;
      continue;
    }
    const { line, fields } = item;
    if (fields.length === 1 && fields[0]?.trim() === '') continue;
    if (!header) {
      const result = readHeader(fields, line, documentSchemas[kind]);
      if (!result.ok) {
        // Without usable columns no row can be read; the header's own errors say why.
        for (const error of result.errors) yield { line, error };
        return;
      }
      header = { line, columns: result.columns };
      continue;
    }
    if (fields.length !== header.columns.length) {
      const message = `has ${fields.length} fields; the header (line ${header.line}) has ${header.columns.length}`;
      yield { line, error: { line, path: '', message } };
      continue;
    }
    yield { line, value: rowToDocument(header.columns, fields) };
  }
}

/** Reads a file through to its end: an ImportSourceError `not-utf8` (with its line) if it is not UTF-8. */
export async function assertUtf8File(path: string): Promise<void> {
  for await (const _ of textChunks(path));
}

function textChunks(path: string): AsyncGenerator<string> {
  const bytes: AsyncIterable<Uint8Array> = createReadStream(path, { highWaterMark: 1 << 16 });
  return decodeChunks(bytes, path);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
