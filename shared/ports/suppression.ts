// The manual (and feedback-fed) suppression list of addresses.
import type { SuppressionReason } from '../domain/documents.js';

export interface SuppressionEntry {
  address: string;
  reason: SuppressionReason;
  addedAt: string;
  source: 'manual' | 'bounce' | 'complaint' | 'unsubscribe';
}

export interface SuppressionStore {
  addSuppression(entry: SuppressionEntry): Promise<void>;
  /** Returns false when the address was not on the list. */
  removeSuppression(address: string): Promise<boolean>;
  listSuppressions(): Promise<SuppressionEntry[]>;
  /** Which of these normalized addresses are suppressed. */
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>>;
}
