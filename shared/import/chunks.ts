// The manifest of a large import for the cloud's parallel path (docs/imports-at-scale.md): one
// sequential scan of the upload finds where records end, and cuts the file into byte ranges of about
// `targetBytes`, each starting on a record of its own, with the file line that record starts on. A
// worker then reads only its range (S3 GetObject with Range) and numbers lines as the whole file
// would: every refusal names the same line a single-pass import names. The scan parses nothing but
// line breaks and CSV quotes (a line break inside a quoted CSV field ends no record), so it runs at
// the speed of reading the object; line breaks are LF, CRLF or a lone CR, as lines.ts counts them.
import type { ImportFormat } from './parse.js';

/** Bytes [start, end) of the upload; its first record starts on file line `firstLine` (1-based). */
export interface ImportChunk {
  start: number;
  end: number;
  firstLine: number;
}

export interface ImportManifest {
  size: number;
  /** Physical lines in the file (a last line without a line break counts). */
  lines: number;
  chunks: ImportChunk[];
  /** CSV: the header record's bytes, which a worker of any other chunk reads first. */
  header?: { start: number; end: number };
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;

/** Cuts an upload into chunks of at least `targetBytes` (the last may be smaller), on record boundaries. */
export async function planChunks(
  bytes: AsyncIterable<Uint8Array>,
  opts: { targetBytes: number; format: ImportFormat },
): Promise<ImportManifest> {
  if (!Number.isInteger(opts.targetBytes) || opts.targetBytes < 1)
    throw new RangeError(`targetBytes must be a positive integer, not ${opts.targetBytes}`);
  const csv = opts.format === 'csv';
  const chunks: ImportChunk[] = [];
  let header: ImportManifest['header'];
  let pos = 0;
  let breaks = 0;
  let quoted = false;
  let afterCR = false;
  let lineHasBytes = false;
  // The CSV header is the first record with more than blanks (csv.ts skips blank records too).
  let recordHasText = false;
  let chunk = { start: 0, firstLine: 1 };

  /** A record ended just before `at` (its line break included): maybe close the chunk there. */
  const recordEnd = (at: number) => {
    if (csv && header === undefined && recordHasText) header = { start: 0, end: at };
    recordHasText = false;
    if (at - chunk.start >= opts.targetBytes) {
      chunks.push({ ...chunk, end: at });
      chunk = { start: at, firstLine: breaks + 1 };
    }
  };

  for await (const buffer of bytes) {
    for (let i = 0; i < buffer.length; i++, pos++) {
      const byte = buffer[i];
      if (afterCR) {
        afterCR = false;
        // CRLF is one break, ending after the LF; a lone CR's line ended right after it. Inside a
        // quoted CSV field a break counts as a line but ends no record.
        if (byte === LF) {
          if (!quoted) recordEnd(pos + 1);
          continue;
        }
        if (!quoted) recordEnd(pos);
      }
      if (csv && byte === QUOTE) quoted = !quoted;
      if (byte !== LF && byte !== CR) {
        lineHasBytes = true;
        if (byte !== SPACE && byte !== TAB) recordHasText = true;
        continue;
      }
      breaks++;
      lineHasBytes = false;
      if (byte === CR) afterCR = true;
      else if (!quoted) recordEnd(pos + 1);
    }
  }
  if (afterCR && !quoted) recordEnd(pos);
  if (pos > chunk.start) chunks.push({ ...chunk, end: pos });
  return { size: pos, lines: breaks + (lineHasBytes ? 1 : 0), chunks, ...(header && { header }) };
}
