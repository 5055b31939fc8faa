// Text lines of an import with a cap on each line's size, for NDJSON files, uploads and API bodies.
//
// Why not node:readline: it holds a line whole before handing it over, however long, so a 100 MB
// line costs 100 MB (twice, as a string and as its JSON) before anything can refuse it. Here a line
// over the cap stops accumulating at once and is reported by its number and size, and reading goes
// on with the next line, so every other bad line is still found. Line breaks are LF, CRLF or a lone
// CR, as readline sees them, so line numbers match what an editor shows.
import { MAX_LINE_BYTES } from '../domain/limits.js';

export type RawLine =
  | { line: number; text: string }
  /** The line is longer than the cap: `bytes` is its full size in UTF-8. */
  | { line: number; tooLong: true; bytes: number };

/** Lines of text chunks, numbered from 1; a final line without a line break counts when it is not empty. */
export async function* boundedLines(
  chunks: AsyncIterable<string> | Iterable<string>,
  maxBytes: number = MAX_LINE_BYTES,
  /** The number of the first line (a part of a file read on its own). */
  firstLine = 1,
): AsyncGenerator<RawLine> {
  let line = firstLine - 1;
  let parts: string[] = [];
  let bytes = 0;
  let over = false;
  // A chunk that ended with CR: a LF starting the next one belongs to the same break.
  let afterCR = false;
  const BREAK = /\r\n|\r|\n/g;

  const take = (piece: string) => {
    if (piece === '') return;
    bytes += Buffer.byteLength(piece, 'utf8');
    if (over) return;
    if (bytes > maxBytes) {
      over = true;
      parts = [];
    } else {
      parts.push(piece);
    }
  };
  const end = (): RawLine => {
    line++;
    const out: RawLine = over
      ? { line, tooLong: true, bytes }
      : { line, text: parts.length === 1 ? (parts[0] ?? '') : parts.join('') };
    parts = [];
    bytes = 0;
    over = false;
    return out;
  };

  for await (const chunk of chunks) {
    if (chunk === '') continue;
    let start = afterCR && chunk.startsWith('\n') ? 1 : 0;
    afterCR = false;
    BREAK.lastIndex = start;
    for (let m = BREAK.exec(chunk); m !== null; m = BREAK.exec(chunk)) {
      take(chunk.slice(start, m.index));
      yield end();
      start = m.index + m[0].length;
    }
    take(chunk.slice(start));
    afterCR = chunk.endsWith('\r');
  }
  if (bytes > 0) yield end();
}
