// GDPR erasure ("right to be forgotten"). The profile, contracts and events that name the customer
// are deleted; ledger rows and the customer's touches in run items are kept for campaign statistics
// (campaign, step, channel, status, reason, dates, tier, locale) under an anonymous id, without
// address or provider message id. Stores outside the table that hold personal data by value (the
// local bus log and outbox) forget the customer first. A receipt without personal data (the
// anonymous id, counts, time) is kept for good. docs/personal-data.md lists every store.
import { createHmac } from 'node:crypto';
import { customerAddress } from '../../domain/addresses.js';
import { CHANNELS } from '../../domain/documents.js';
import type { Clock } from '../../ports/clock.js';
import type { ErasureReport, ErasureSubject, PersonalDataStore } from '../../ports/customer-data.js';
import type { Stores } from '../../store/stores.js';

export type EraseDeps = {
  store: Pick<Stores, 'customers' | 'ledger'>;
  clock: Clock;
  pseudonymKey: string;
  /** Stores outside the table that can forget a customer (locally the bus log and the outbox). */
  elsewhere?: readonly PersonalDataStore[];
};

/** The table's report, and how many records each store outside it removed (by its name). */
export type CustomerErasure = ErasureReport & { elsewhere: Record<string, number> };

/**
 * A keyed hash, so the anonymous id cannot be recomputed from a guessed customer id without the
 * key, yet a rerun after a crash yields the same id (no row is counted twice).
 */
export function pseudonymOf(key: string, value: string): string {
  return createHmac('sha256', key).update(`erase:${value}`).digest('base64url').slice(0, 22);
}

/** The addresses and provider message ids that name the customer outside the table. */
async function subjectOf(deps: EraseDeps, customerId: string): Promise<ErasureSubject> {
  const [customer, deliveries] = await Promise.all([
    deps.store.customers.getCustomer(customerId),
    deps.store.ledger.listDeliveries({ customerId }),
  ]);
  const addresses = new Set<string>();
  for (const channel of CHANNELS) {
    const address = customer ? customerAddress(customer, channel) : undefined;
    if (address) addresses.add(address);
  }
  const messageIds = new Set<string>();
  for (const d of deliveries) {
    // The address a message went to, which may be one the customer no longer has.
    if (d.address) addresses.add(d.address);
    if (d.providerMessageId) messageIds.add(d.providerMessageId);
  }
  return { customerId, addresses: [...addresses].sort(), messageIds: [...messageIds].sort() };
}

/**
 * Undefined when nothing held the customer. The stores outside the table go first: they are found
 * through what the table still holds (addresses, message ids), so a crash part-way leaves the
 * table's part for a rerun to find and finish. The table's own erasure is rerunnable too.
 */
export async function eraseCustomer(
  deps: EraseDeps,
  customerId: string,
): Promise<CustomerErasure | undefined> {
  const subject = await subjectOf(deps, customerId);
  const elsewhere: Record<string, number> = {};
  for (const store of deps.elsewhere ?? []) elsewhere[store.name] = await store.erase(subject);
  const anonymousId = `anon-${pseudonymOf(deps.pseudonymKey, customerId)}`;
  const report = await deps.store.customers.eraseCustomer(customerId, anonymousId, (occasion) =>
    pseudonymOf(deps.pseudonymKey, `${customerId}|${occasion}`),
  );
  const erased = report ?? {
    anonymousId,
    profile: false,
    ledgerRows: 0,
    contracts: 0,
    events: 0,
    runTouches: 0,
  };
  if (!report && Object.values(elsewhere).every((n) => n === 0)) return undefined;
  await deps.store.customers.recordErasure({ ...erased, erasedAt: deps.clock.now().toISOString() });
  return { ...erased, elsewhere };
}
