// File-level failures, as opposed to bad lines (which are LineErrors in a refused result).

export type ImportSourceProblem = 'unreadable' | 'unsupported-format' | 'changed-during-import';

/** The input as a whole cannot be imported: it cannot be read, its format is not accepted for the kind, or it changed between the two passes. */
export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError';
  constructor(
    readonly problem: ImportSourceProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
