// Consent changes and their history, kept in the customer's own partition (erase removes them,
// export includes them). docs/consent.md describes the model.
import type { ConsentChange, ConsentHistoryEntry } from '../domain/consent.js';

export type ConsentOutcome = 'applied' | 'unchanged' | 'no-customer';

export interface ConsentStore {
  /**
   * Appends the change to the customer's history and updates current consent, atomically with
   * respect to concurrent changes and imports; the slot's latest change repeated is `unchanged`.
   */
  recordChange(change: ConsentChange): Promise<ConsentOutcome>;
  /** The customer's consent history, oldest first (empty for an unknown customer). */
  consentHistory(customerId: string): Promise<ConsentHistoryEntry[]>;
}
