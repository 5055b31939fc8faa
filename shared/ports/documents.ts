// Customer, contract and event documents: the upserts that imports and the API make.
import type { ConsentTally } from '../domain/consent.js';
import type { Contract, Customer, CustomerEvent } from '../domain/documents.js';

/** Who writes customers, for the consent history and the precedence rule (docs/consent.md). */
export interface PutCustomersOptions {
  /** Default `import`. */
  source?: 'import' | 'api';
  /** When the write happens (ISO instant): a consent change without `consentUpdatedAt` is dated so. */
  now?: string;
  /** Kept with each consent change, e.g. the import job id. */
  evidence?: string;
  /** Counts the records whose resubscription was not followed (an opt-out of the customer's own stands). */
  tally?: ConsentTally;
}

export interface DocumentStore {
  /**
   * Upsert by id, replacing whole documents. Callers validate first; this writes everything given,
   * except consent: a channel the customer opted out of themselves stays out unless the record
   * carries a later `consentUpdatedAt`, and topics stay (domain/consent.ts, mergeRecordConsent).
   */
  putCustomers(customers: readonly Customer[], opts?: PutCustomersOptions): Promise<void>;
  putContracts(contracts: readonly Contract[]): Promise<void>;
  /** Insert-if-absent by event id (the idempotency key). Returns the ids that were new. */
  putEvents(events: readonly CustomerEvent[]): Promise<string[]>;
  /** Which of these customer ids exist. */
  existingCustomerIds(ids: readonly string[]): Promise<Set<string>>;
}
