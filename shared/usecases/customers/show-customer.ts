// customer show: what we hold about one customer and what we sent them, with their tier under the
// current settings, current consent (channels and topics) and its history (docs/consent.md).
import { tierOf } from '../../domain/tiers.js';
import type { ConsentStore } from '../../ports/consent.js';
import type { CustomerDataStore } from '../../ports/customer-data.js';
import type { Ledger } from '../../ports/ledger.js';
import type { SettingsStore } from '../../ports/settings.js';
import type { CustomerView } from './schemas.js';

/** Undefined when there is no such customer. */
export async function showCustomer(
  deps: { customers: CustomerDataStore; settings: SettingsStore; ledger: Ledger; consent: ConsentStore },
  customerId: string,
): Promise<CustomerView | undefined> {
  const customer = await deps.customers.getCustomer(customerId);
  if (!customer) return undefined;
  const [records, settings, touches, consentHistory] = await Promise.all([
    deps.customers.customerRecords(customerId),
    deps.settings.getSettings(),
    deps.ledger.listDeliveries({ customerId }),
    deps.consent.consentHistory(customerId),
  ]);
  return {
    customer,
    tier: tierOf(customer.monthlyValue, settings.tiers) ?? null,
    contracts: records.contracts,
    events: records.events,
    consent: {
      email: customer.consent.email,
      sms: customer.consent.sms,
      topics: { ...(customer.consent.topics ?? {}) },
    },
    consentHistory,
    touches: [...touches].sort(
      (a, b) => a.dueDate.localeCompare(b.dueDate) || a.sendAt.localeCompare(b.sendAt),
    ),
  };
}
