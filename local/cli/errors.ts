// Exit codes of the contract: 0 success, 1 a refused input (with the reasons), 2 a usage error.
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Reason {
  line?: number;
  path: string;
  message: string;
}

export class RefusedError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly reasons: Reason[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}
