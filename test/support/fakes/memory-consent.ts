// Consent changes in memory, over the fake documents' customers (the adapter keeps them in the
// customer's partition and document).
import { applyChange, type ConsentChange, type ConsentHistoryEntry } from '../../../shared/domain/consent.js';
import type { ConsentOutcome, ConsentStore } from '../../../shared/ports/consent.js';
import type { MemoryDocuments } from './memory-documents.js';

export class MemoryConsent implements ConsentStore {
  constructor(private readonly documents: MemoryDocuments) {}

  async recordChange(change: ConsentChange): Promise<ConsentOutcome> {
    const customer = this.documents.customers.get(change.customerId);
    if (!customer) return 'no-customer';
    const d = this.documents;
    const outcome = applyChange(customer.consent, d.consentStates.get(customer.id) ?? {}, change);
    if (outcome.kind === 'unchanged') return 'unchanged';
    d.customers.set(customer.id, { ...customer, consent: outcome.consent });
    d.consentStates.set(customer.id, outcome.state);
    d.consentHistories.set(customer.id, [...(d.consentHistories.get(customer.id) ?? []), outcome.entry]);
    return 'applied';
  }

  async consentHistory(customerId: string): Promise<ConsentHistoryEntry[]> {
    return [...(this.documents.consentHistories.get(customerId) ?? [])].sort((a, b) =>
      a.at.localeCompare(b.at),
    );
  }
}
