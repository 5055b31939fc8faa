// GDPR access/portability: everything the store holds about one customer, in one document.
import { customerAddress } from '../../domain/addresses.js';
import type { ConsentHistoryEntry } from '../../domain/consent.js';
import { CHANNELS, type Contract, type Customer, type CustomerEvent } from '../../domain/documents.js';
import type { Delivery } from '../../domain/touch.js';
import type { Clock } from '../../ports/clock.js';
import type { SuppressionEntry } from '../../ports/suppression.js';
import type { Stores } from '../../store/stores.js';

export interface CustomerExport {
  exportedAt: string;
  customer: Customer;
  contracts: Contract[];
  /** Events stored since customer references exist (older ones are not reachable by customer). */
  events: CustomerEvent[];
  /** The customer's ledger rows: every touch sent, suppressed or failed, with later delivery events. */
  deliveries: Delivery[];
  /**
   * The consent record: current consent (channels and topics), every change with its source and
   * evidence (docs/consent.md), and the customer's addresses on the suppression list.
   */
  consent: { current: Customer['consent']; history: ConsentHistoryEntry[]; suppressions: SuppressionEntry[] };
}

export type ExportDeps = {
  store: Pick<Stores, 'customers' | 'ledger' | 'suppression' | 'consent'>;
  clock: Clock;
};

/** Undefined when there is no such customer. */
export async function exportCustomer(
  deps: ExportDeps,
  customerId: string,
): Promise<CustomerExport | undefined> {
  const customer = await deps.store.customers.getCustomer(customerId);
  if (!customer) return undefined;
  const addresses = CHANNELS.flatMap((ch) => {
    try {
      const a = customerAddress(customer, ch);
      return a ? [a] : [];
    } catch {
      return []; // an address that no longer normalizes cannot be on the list either
    }
  });
  const [records, deliveries, suppressed, history] = await Promise.all([
    deps.store.customers.customerRecords(customerId),
    deps.store.ledger.listDeliveries({ customerId }),
    deps.store.suppression.suppressedAmong(addresses),
    deps.store.consent.consentHistory(customerId),
  ]);
  const suppressions =
    suppressed.size === 0
      ? []
      : (await deps.store.suppression.listSuppressions()).filter((s) => suppressed.has(s.address));
  return {
    exportedAt: deps.clock.now().toISOString(),
    customer,
    contracts: records.contracts,
    events: records.events,
    deliveries,
    consent: { current: customer.consent, history, suppressions },
  };
}
