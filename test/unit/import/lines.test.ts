import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedLines, type RawLine } from '../../../shared/import/lines.js';

async function lines(chunks: string[], max?: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const l of boundedLines(chunks, max)) out.push(l);
  return out;
}

describe('boundedLines', () => {
  it('splits on LF, CRLF and a lone CR, even across chunks, as readline does', async () => {
    expect(await lines(['a\r', '\nb\rc\n', '\nd'])).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: 'c' },
      { line: 4, text: '' },
      { line: 5, text: 'd' },
    ]);
    expect(await lines(['a\n'])).toEqual([{ line: 1, text: 'a' }]);
    expect(await lines(['', ''])).toEqual([]);
  });

  it('refuses a line over the cap by its number and size, holding none of it, and goes on', async () => {
    const long = '中'.repeat(50); // 150 bytes
    expect(await lines([`ok\n${long.slice(0, 20)}`, `${long.slice(20)}\nnext`], 100)).toEqual([
      { line: 1, text: 'ok' },
      { line: 2, tooLong: true, bytes: 150 },
      { line: 3, text: 'next' },
    ]);
  });

  it('gives the lines of any text however it is chunked', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', '中', '\n', '\r', '\r\n', ' ') });
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 7 }), async (t, size) => {
        const chunks: string[] = [];
        for (let i = 0; i < t.length; i += size) chunks.push(t.slice(i, i + size));
        const expected = t.split(/\r\n|\r|\n/);
        if (expected.at(-1) === '') expected.pop();
        const got = await lines(chunks);
        expect(got.map((l) => ('text' in l ? l.text : '?'))).toEqual(expected);
        expect(got.map((l) => l.line)).toEqual(expected.map((_, i) => i + 1));
      }),
      { numRuns: 300 },
    );
  });
});
