// Typed failures of the DynamoDB store. Expected outcomes (a key already held, a missing
// campaign) are return values, not errors; these are what callers cannot simply ignore.

/** DynamoDB kept returning unprocessed items or keys after every retry (sustained throttling). */
export class StoreThrottledError extends Error {
  constructor(
    readonly operation: string,
    readonly remaining: number,
  ) {
    super(`${operation}: ${remaining} item(s) still unprocessed after retries (throttled)`);
    this.name = 'StoreThrottledError';
  }
}

/** An item read back from the table does not have the shape this code writes. */
export class CorruptItemError extends Error {
  constructor(
    readonly key: string,
    readonly detail: string,
  ) {
    super(`stored item ${key} is not readable: ${detail}`);
    this.name = 'CorruptItemError';
  }
}

/** Events reference customers the store does not hold (their zone is needed to index them). */
export class UnknownCustomerError extends Error {
  constructor(readonly customerIds: readonly string[]) {
    super(
      `unknown customer(s): ${customerIds.slice(0, 10).join(', ')}${customerIds.length > 10 ? ', …' : ''}`,
    );
    this.name = 'UnknownCustomerError';
  }
}

/** settle() was called for a key the ledger does not hold. */
export class DeliveryNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no ledger row for touch ${key}`);
    this.name = 'DeliveryNotFoundError';
  }
}

/** An optimistic update kept losing to concurrent writers. */
export class ConcurrentUpdateError extends Error {
  constructor(readonly key: string) {
    super(`gave up updating ${key}: concurrent writers kept changing it`);
    this.name = 'ConcurrentUpdateError';
  }
}

/** A run batch or run the caller refers to does not exist. */
export class RunItemNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no run item ${key}`);
    this.name = 'RunItemNotFoundError';
  }
}
