// Where each field of a JSON text is, by line, so an error at `steps.0.template` can be shown on the
// line that holds it. JSON.parse gives the value but no positions, and V8's syntax messages name a
// position only in some versions; the libraries that do this (jsonc-parser) are one more dependency
// for ~100 lines. This scanner follows RFC 8259's grammar only to find positions: the value itself
// always comes from JSON.parse, so both agree on what is valid.

export type Located =
  | { ok: true; value: unknown; lines: ReadonlyMap<string, number> }
  | { ok: false; line: number; column: number; message: string };

/** `steps.0.template`: the form issues use (errorPath in api.ts gives the same). */
export const pathKey = (path: readonly (string | number)[]): string => path.join('.');

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

function scan(text: string, lines: Map<string, number>): void {
  let i = 0;
  let line = 1;
  // Lines are counted as the scanner moves; strings cannot hold a raw newline, so only whitespace does.
  const skip = () => {
    WHITESPACE.lastIndex = i;
    const m = WHITESPACE.exec(text);
    const ws = m?.[0] ?? '';
    for (const ch of ws) if (ch === '\n') line += 1;
    i += ws.length;
  };
  const fail = (message: string): never => {
    throw new ScanError(i, message);
  };
  const string = (): string => {
    const start = i;
    i += 1;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i += 1;
        return text.slice(start, i);
      }
      if (ch === '\\') i += 2;
      else if (ch !== undefined && ch < ' ') fail('control character in a string');
      else i += 1;
    }
    return fail('unterminated string');
  };
  const value = (path: (string | number)[]): void => {
    skip();
    if (!lines.has(pathKey(path))) lines.set(pathKey(path), line);
    const ch = text[i];
    if (ch === '{') {
      i += 1;
      skip();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') fail('expected a property name in double quotes');
        const keyLine = line;
        const key = String(JSON.parse(string()));
        lines.set(pathKey([...path, key]), keyLine);
        skip();
        if (text[i] !== ':') fail("expected ':' after a property name");
        i += 1;
        value([...path, key]);
        skip();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') {
          i += 1;
          return;
        } else fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i += 1;
      skip();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (let n = 0; ; n += 1) {
        value([...path, n]);
        skip();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') {
          i += 1;
          return;
        } else fail("expected ',' or ']'");
      }
    }
    if (ch === '"') {
      string();
      return;
    }
    for (const literal of ['true', 'false', 'null'])
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0) {
      i += m[0].length;
      return;
    }
    fail(i >= text.length ? 'unexpected end of the document' : `unexpected character ${JSON.stringify(ch)}`);
  };
  value([]);
  skip();
  if (i < text.length) fail('unexpected text after the document');
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function locateJson(text: string): Located {
  const lines = new Map<string, number>();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    try {
      scan(text, lines);
    } catch (s) {
      if (s instanceof ScanError)
        return { ok: false, ...lineAndColumn(text, Math.min(s.offset, text.length)), message: s.message };
      throw s;
    }
    return { ok: false, line: 1, column: 1, message: e instanceof Error ? e.message : String(e) };
  }
  try {
    scan(text, lines);
  } catch (s) {
    // JSON.parse is the judge; a position the scanner cannot find only costs the highlight.
    if (!(s instanceof ScanError)) throw s;
  }
  return { ok: true, value, lines };
}

/** The line of a path, or of its nearest ancestor that is in the text (a missing field: its parent). */
export function lineOf(lines: ReadonlyMap<string, number>, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n -= 1) {
    const line = lines.get(pathKey(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return 1;
}
