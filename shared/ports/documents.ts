// Customer, contract and event documents: the upserts that imports and the API make.
import type { Contract, Customer, CustomerEvent } from '../domain/documents.js';

export interface DocumentStore {
  /** Upsert by id, replacing whole documents. Callers validate first; this writes everything given. */
  putCustomers(customers: readonly Customer[]): Promise<void>;
  putContracts(contracts: readonly Contract[]): Promise<void>;
  /** Insert-if-absent by event id (the idempotency key). Returns the ids that were new. */
  putEvents(events: readonly CustomerEvent[]): Promise<string[]>;
  /** Which of these customer ids exist. */
  existingCustomerIds(ids: readonly string[]): Promise<Set<string>>;
}
