// A streaming RFC 4180 reader that knows the physical line each record starts on.
//
// Why not csv-parse: 7.0.3 was tried first and its line bookkeeping is not exact enough for
// line-numbered errors — `info.lines` counts a CRLF inside a quoted field as two lines and drifts with
// chunk boundaries, `raw` drops the second byte of a CRLF record delimiter, a syntax error discards the
// records buffered before it, and an unclosed quote is reported at the end of the file. The format is
// small enough that exact line numbers are cheaper to own than to reconstruct.

import { MAX_DOCUMENT_BYTES, MAX_LINE_BYTES } from '../domain/limits.js';

export type CsvItem =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'error'; line: number; message: string; fatal: boolean };

/**
 * A record longer than an import line may be cannot hold a storable document, and is almost always an
 * unclosed quote swallowing the rest of the file; reading stops there (it is counted in characters,
 * which is never more than its bytes).
 */
export const MAX_RECORD_CHARS = MAX_LINE_BYTES;

// quoteInQuoted: just saw a quote inside a quoted field, either an escaped quote or the closing one.
// skipLine: after a syntax error, drop the rest of the physical line, then start a new record.
type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'skipLine';

/**
 * Records from text chunks. Line breaks are LF, CRLF or CR (as node:readline sees them). Blank lines
 * are not skipped here (the caller decides); a quoted field keeps its line breaks as written.
 * After a syntax error the rest of that line is dropped and reading goes on; an unclosed quote at the
 * end, or a record over MAX_RECORD_CHARS, is fatal (nothing after it can be trusted).
 */
export async function* csvRecords(chunks: AsyncIterable<string>, firstLine = 1): AsyncGenerator<CsvItem> {
  let state: State = 'fieldStart';
  let line = firstLine;
  let afterCR = false;
  let recordLine = firstLine;
  let recordChars = 0;
  let field = '';
  let fields: string[] = [];
  const out: CsvItem[] = [];

  const endRecord = () => {
    fields.push(field);
    out.push({ kind: 'record', line: recordLine, fields });
    fields = [];
    field = '';
    recordChars = 0;
  };
  const fail = (message: string) => {
    out.push({ kind: 'error', line: recordLine, message, fatal: false });
    fields = [];
    field = '';
    recordChars = 0;
  };

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      if (state === 'unquoted' || state === 'quoted' || state === 'skipLine') {
        // Take the run of ordinary characters in one slice: per-character appends are several times slower.
        const j = nextSpecial(chunk, i, state === 'unquoted');
        if (j > i) {
          if (state !== 'skipLine') field += chunk.slice(i, j);
          recordChars += j - i;
          if (recordChars > MAX_RECORD_CHARS) {
            yield* out.splice(0);
            yield tooLong(recordLine);
            return;
          }
          afterCR = false;
          i = j;
          if (i >= chunk.length) break;
        }
      }
      const c = chunk.charAt(i);
      const isBreak = c === '\r' || (c === '\n' && !afterCR);
      const lfOfCRLF = c === '\n' && afterCR;
      afterCR = c === '\r';
      if (state === 'fieldStart' && fields.length === 0 && field === '') recordLine = line;
      if (isBreak) line++;
      if (lfOfCRLF) {
        // The LF of a CRLF: the record (or quoted text) already took the CR as the break.
        if (state === 'quoted') field += c;
        continue;
      }
      if (++recordChars > MAX_RECORD_CHARS) {
        yield* out.splice(0);
        yield tooLong(recordLine);
        return;
      }
      switch (state) {
        case 'skipLine':
          if (isBreak) {
            state = 'fieldStart';
            recordChars = 0;
          }
          break;
        case 'fieldStart':
        case 'unquoted':
          if (c === ',') {
            fields.push(field);
            field = '';
            state = 'fieldStart';
          } else if (isBreak) {
            endRecord();
            state = 'fieldStart';
          } else if (c === '"') {
            if (state === 'fieldStart') state = 'quoted';
            else {
              fail(`a quote inside an unquoted field (line ${line}): quote the field and double the quote`);
              state = 'skipLine';
            }
          } else {
            field += c;
            state = 'unquoted';
          }
          break;
        case 'quoted':
          if (c === '"') state = 'quoteInQuoted';
          else field += c;
          break;
        case 'quoteInQuoted':
          if (c === '"') {
            field += '"';
            state = 'quoted';
          } else if (c === ',') {
            fields.push(field);
            field = '';
            state = 'fieldStart';
          } else if (isBreak) {
            endRecord();
            state = 'fieldStart';
          } else {
            fail(`unexpected ${JSON.stringify(c)} after a closing quote (line ${line})`);
            state = 'skipLine';
          }
          break;
      }
    }
    if (out.length > 0) yield* out.splice(0);
  }

  if (state === 'quoted') {
    yield { kind: 'error', line: recordLine, message: 'a quoted field is never closed', fatal: true };
  } else if (state !== 'skipLine' && (fields.length > 0 || field !== '' || state === 'quoteInQuoted')) {
    endRecord();
    yield* out.splice(0);
  }
}

function tooLong(line: number): CsvItem {
  return {
    kind: 'error',
    line,
    message: `record longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters (a document may be at most ${MAX_DOCUMENT_BYTES.toLocaleString('en')} bytes; an unclosed quote?)`,
    fatal: true,
  };
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Index of the next quote or line break (or comma, outside quotes) at or after `from`. */
function nextSpecial(chunk: string, from: number, commaEnds: boolean): number {
  let j = from;
  for (; j < chunk.length; j++) {
    const k = chunk.charCodeAt(j);
    if (k === QUOTE || k === LF || k === CR || (commaEnds && k === COMMA)) break;
  }
  return j;
}
