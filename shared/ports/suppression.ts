// The manual (and feedback-fed) suppression list of addresses.
import type { SuppressionReason } from '../domain/documents.js';

export interface SuppressionEntry {
  /** Normalized (shared/domain/addresses.ts): the key the planner looks up. */
  address: string;
  reason: SuppressionReason;
  addedAt: string;
  source: 'manual' | 'bounce' | 'complaint' | 'unsubscribe';
}

export interface SuppressionStore {
  addSuppression(entry: SuppressionEntry): Promise<void>;
  /** `address` normalized. Returns false when it was not on the list. */
  removeSuppression(address: string): Promise<boolean>;
  listSuppressions(): Promise<SuppressionEntry[]>;
  /** Which of these normalized addresses are suppressed. */
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>>;
  /** The entry for one normalized address (why and since when it is suppressed), if listed. */
  getSuppression(address: string): Promise<SuppressionEntry | undefined>;
}
