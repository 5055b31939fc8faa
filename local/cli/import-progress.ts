// What `touchpoint import` prints on stderr while a large import runs: how far the job got, its rate
// and, once writing, an ETA: `imported 120,000 of 1,000,000 lines (3,400/s, ETA 4m 18s)`. The job
// records its progress every 10,000 lines (run-import.ts); the CLI polls it and prints a line at
// most every few seconds, and never in --json output (notes go to stderr).

export interface ImportJobProgress {
  status: 'pending' | 'validating' | 'writing' | 'succeeded' | 'failed';
  /** Lines validated so far while validating; all the documents once writing. */
  count?: number | undefined;
  written?: number | undefined;
}

/** At most one progress line this often. */
export const PROGRESS_LINE_EVERY_MS = 5_000;

const n = (v: number) => Math.round(v).toLocaleString('en');

/** `4m 18s`, `1h 02m`, `9s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Turns polled job states into progress lines: the rate is measured from the first state seen in
 * each phase, so time spent uploading or validating does not count against the writing rate.
 */
export class ImportProgressLines {
  #phase: { status: string; at: number; done: number } | undefined;
  #lastLineAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly everyMs = PROGRESS_LINE_EVERY_MS) {}

  /** The line to print for this state at `nowMs`, or undefined (nothing new, or too soon). */
  next(state: ImportJobProgress, nowMs: number): string | undefined {
    if (state.status !== 'validating' && state.status !== 'writing') return undefined;
    const done = (state.status === 'validating' ? state.count : state.written) ?? 0;
    if (this.#phase?.status !== state.status) {
      this.#phase = { status: state.status, at: nowMs, done };
      this.#lastLineAt = Number.NEGATIVE_INFINITY;
    }
    if (nowMs - this.#lastLineAt < this.everyMs) return undefined;
    this.#lastLineAt = nowMs;
    const elapsedS = (nowMs - this.#phase.at) / 1000;
    const rate = elapsedS > 0 && done > this.#phase.done ? (done - this.#phase.done) / elapsedS : undefined;
    if (state.status === 'validating')
      return `validated ${n(done)} lines${rate === undefined ? '' : ` (${n(rate)}/s)`}`;
    const total = state.count ?? 0;
    if (rate === undefined) return `imported ${n(done)} of ${n(total)} lines`;
    return `imported ${n(done)} of ${n(total)} lines (${n(rate)}/s, ETA ${duration((total - done) / rate)})`;
  }
}
