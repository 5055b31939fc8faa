// GDPR erasure ("right to be forgotten"). The profile, contracts and events that name the customer
// are deleted; ledger rows are kept for campaign statistics (campaign, step, channel, status,
// reason, dates, tier, locale) under an anonymous id, without address or provider message id.
// docs/api.md lists what remains and why.
import { createHmac } from 'node:crypto';
import type { ErasureReport } from '../../ports/customer-data.js';
import type { Stores } from '../../store/stores.js';

export type EraseDeps = { store: Pick<Stores, 'customers'>; pseudonymKey: string };

/**
 * A keyed hash, so the anonymous id cannot be recomputed from a guessed customer id without the
 * key, yet a rerun after a crash yields the same id (no row is counted twice).
 */
export function pseudonymOf(key: string, value: string): string {
  return createHmac('sha256', key).update(`erase:${value}`).digest('base64url').slice(0, 22);
}

/** Undefined when the store holds nothing for this customer. */
export function eraseCustomer(deps: EraseDeps, customerId: string): Promise<ErasureReport | undefined> {
  const anonymousId = `anon-${pseudonymOf(deps.pseudonymKey, customerId)}`;
  return deps.store.customers.eraseCustomer(customerId, anonymousId, (occasion) =>
    pseudonymOf(deps.pseudonymKey, `${customerId}|${occasion}`),
  );
}
