// File-level failures, as opposed to bad lines (which are LineErrors in a refused result).

export type ImportSourceProblem = 'unreadable' | 'unsupported-format' | 'changed-during-import' | 'not-utf8';

/** The input as a whole cannot be imported: it cannot be read, is not UTF-8, its format is not accepted for the kind, or it changed between the two passes. */
export class ImportSourceError extends Error {
  override readonly name = 'ImportSourceError';
  /** The line the problem is on, when it is on one (not-utf8). */
  readonly line: number | undefined;
  constructor(
    readonly problem: ImportSourceProblem,
    message: string,
    options?: { cause?: unknown; line?: number },
  ) {
    super(message, options);
    this.line = options?.line;
  }
}

/**
 * The import stopped after validating everything, while writing (the store failed, or the time ran
 * out): `written` documents are stored, each exactly as validated, and the rest are not. Writes are
 * upserts by id and event inserts are conditional on the id, so importing the same input again
 * completes it and ends exactly as one clean import would.
 */
export class ImportIncompleteError extends Error {
  override readonly name = 'ImportIncompleteError';
  constructor(
    /** Documents whose write had completed when the import stopped (a batch in flight may be partly stored too). */
    readonly written: number,
    /** Documents validated, all of which a complete import stores. */
    readonly count: number,
    options?: { cause?: unknown },
  ) {
    super(
      `the import stopped after ${written} of ${count} validated documents were written (${causeOf(options?.cause)}); import the same input again to complete it`,
      options,
    );
  }
}

function causeOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
