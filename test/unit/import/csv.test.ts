import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvItem, csvRecords, MAX_RECORD_CHARS } from '../../../shared/import/csv.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, chunkSize = 65536): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const item of csvRecords(chunksOf(text, chunkSize))) items.push(item);
  return items;
}

const records = (items: CsvItem[]) =>
  items.map((i) => (i.kind === 'record' ? [i.line, ...i.fields] : ['error', i.line, i.message]));

describe('csvRecords', () => {
  it('splits fields and records, with quoted commas, quotes and line breaks', async () => {
    const text = 'a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",\n3,,"end"';
    expect(records(await read(text))).toEqual([
      [1, 'a', 'b', 'c'],
      [2, '1', 'x, y', 'say "hi"'],
      [3, '2', 'two\nlines', ''],
      [5, '3', '', 'end'],
    ]);
  });

  it('numbers lines the same for LF, CRLF and CR line breaks, inside quotes too', async () => {
    const lf = 'h\n"a\n\nb"\n\nc\n"d"\n';
    for (const eol of ['\n', '\r\n', '\r']) {
      const items = await read(lf.replaceAll('\n', eol));
      expect(items.map((i) => i.line)).toEqual([1, 2, 5, 6, 7]);
      expect(items.map((i) => (i.kind === 'record' ? i.fields : []))).toEqual([
        ['h'],
        [`a${eol}${eol}b`],
        [''],
        ['c'],
        ['d'],
      ]);
    }
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    const text = 'id,name\r\n1,"a\r\nb"\r\n2,"c""d"\r\n\r\n3,e,"f,g"';
    const whole = await read(text);
    for (const size of [1, 2, 3, 5, 7]) expect(await read(text, size)).toEqual(whole);
  });

  it('reports a stray quote at the record line and goes on with the next line', async () => {
    const items = await read('h1,h2\n1,x"y\n2,"ok"\n3,"z"q\n4,"multi\nline"x\n5,5\n');
    expect(records(items)).toEqual([
      [1, 'h1', 'h2'],
      ['error', 2, expect.stringContaining('quote inside an unquoted field')],
      [3, '2', 'ok'],
      ['error', 4, expect.stringContaining('after a closing quote')],
      ['error', 5, expect.stringContaining('after a closing quote (line 6)')],
      [7, '5', '5'],
    ]);
  });

  it('reports an unclosed quote at the line where its record starts, as fatal', async () => {
    const items = await read('h\n1\n"never closed\n2\n3\n');
    expect(items.at(-1)).toEqual({
      kind: 'error',
      line: 3,
      message: 'a quoted field is never closed',
      fatal: true,
    });
    expect(items.filter((i) => i.kind === 'record').map((i) => i.line)).toEqual([1, 2]);
  });

  it('stops at a record longer than the limit instead of buffering the rest of the file', async () => {
    const items = await read(`h\n"${'x'.repeat(MAX_RECORD_CHARS + 10)}"\nnext\n`);
    expect(items.at(-1)).toMatchObject({ kind: 'error', line: 2, fatal: true });
  });

  it('reads back any table written with RFC 4180 quoting, with each record on its starting line', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '中') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 9 }),
        async (rows, eol, chunk) => {
          const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
          const text = rows.map((r) => r.map(quote).join(',')).join(eol);
          const expectedLines: number[] = [];
          let line = 1;
          for (const r of rows) {
            expectedLines.push(line);
            line += 1 + r.join('').split(/\r\n|\n/).length - 1;
          }
          const items = await read(text, chunk);
          expect(items.map((i) => (i.kind === 'record' ? i.fields : i.message))).toEqual(rows);
          expect(items.map((i) => i.line)).toEqual(expectedLines);
        },
      ),
      { numRuns: 300 },
    );
  });
});
