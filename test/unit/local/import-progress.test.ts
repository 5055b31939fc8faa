// `touchpoint import` of a large file shows how far it got with a rate and an ETA on stderr, a line
// every few seconds at most (an import of a million lines used to say nothing for minutes).
import { describe, expect, it } from 'vitest';
import { duration, ImportProgressLines } from '../../../local/cli/import-progress.js';

describe('import progress lines', () => {
  it('shows lines imported of the total with the rate and an ETA while writing, at most every 5 s', () => {
    const lines = new ImportProgressLines(5_000);
    const t0 = 1_000_000;
    expect(lines.next({ status: 'pending' }, t0)).toBeUndefined();
    expect(lines.next({ status: 'validating', count: 0 }, t0)).toBe('validated 0 lines');
    expect(lines.next({ status: 'validating', count: 10_000 }, t0 + 2_000)).toBeUndefined();
    expect(lines.next({ status: 'validating', count: 100_000 }, t0 + 5_000)).toBe(
      'validated 100,000 lines (20,000/s)',
    );
    // Writing: its rate counts from the first writing state seen, not from the start of the job.
    const w0 = t0 + 60_000;
    expect(lines.next({ status: 'writing', count: 1_000_000, written: 0 }, w0)).toBe(
      'imported 0 of 1,000,000 lines',
    );
    expect(lines.next({ status: 'writing', count: 1_000_000, written: 10_000 }, w0 + 3_000)).toBeUndefined();
    expect(lines.next({ status: 'writing', count: 1_000_000, written: 120_000 }, w0 + 35_294)).toBe(
      'imported 120,000 of 1,000,000 lines (3,400/s, ETA 4m 19s)',
    );
    expect(
      lines.next({ status: 'succeeded', count: 1_000_000, written: 1_000_000 }, w0 + 400_000),
    ).toBeUndefined();
  });

  it('says durations the way people read them', () => {
    expect(duration(9.4)).toBe('9s');
    expect(duration(258)).toBe('4m 18s');
    expect(duration(3_720)).toBe('1h 02m');
    expect(duration(-3)).toBe('0s');
  });
});
