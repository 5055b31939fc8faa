// The nesting check every edge runs on JSON text before parsing it: 20,000 levels must be found
// without recursion, brackets inside strings must not count, and NDJSON gets its line number.
import { describe, expect, it } from 'vitest';
import { nestingOverflowLine } from '../../../shared/domain/json-nesting.js';
import { MAX_JSON_DEPTH } from '../../../shared/domain/limits.js';

const deep = (n: number) => `${'{"a":['.repeat(n)}1${']}'.repeat(n)}`;

describe('nestingOverflowLine', () => {
  it('finds a body nested 20,000 levels without overflowing the stack', () => {
    expect(nestingOverflowLine(deep(10_000))).toBe(1);
    expect(nestingOverflowLine('['.repeat(500_000))).toBe(1);
  });

  it(`lets exactly ${MAX_JSON_DEPTH} levels through and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    const levels = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(nestingOverflowLine(levels(MAX_JSON_DEPTH))).toBeUndefined();
    expect(nestingOverflowLine(levels(MAX_JSON_DEPTH + 1))).toBe(1);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '['.repeat(1000), t: `\\"${'{'.repeat(1000)}`, u: '"]]]]' });
    expect(nestingOverflowLine(text, 2)).toBeUndefined();
  });

  it('names the NDJSON line where the nesting goes too deep', () => {
    const lines = ['{"ok":1}', '{"a":"[[[[[[\\n"}', '{"b":[[[[]]]]}'].join('\n');
    expect(nestingOverflowLine(lines, 3)).toBe(3);
  });
});
