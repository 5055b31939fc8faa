import { describe, expect, it } from 'vitest';
import { SelectionUsageError, selectionCustomers } from '../../../bench/selection.js';

describe('npm run bench -- selection --customers N', () => {
  it('takes N, and refuses a missing, fractional or out-of-range one with the usage', () => {
    expect(selectionCustomers(['--customers', '100000'])).toBe(100_000);
    for (const args of [
      [],
      ['--customers'],
      ['--customers', '1.5'],
      ['--customers', '10'],
      ['--customers', 'many'],
    ])
      expect(() => selectionCustomers(args)).toThrow(SelectionUsageError);
  });
});
