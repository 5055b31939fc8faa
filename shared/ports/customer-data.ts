// One customer's data for the ops API: single reads, ledger pages, export and erasure.
import type { Contract, Customer, CustomerEvent } from '../domain/documents.js';
import type { Delivery } from '../domain/touch.js';

/** Where a ledger page stopped: the campaign it was reading (unfiltered or by campaign) and the last key. */
export interface DeliveryPosition {
  campaignId?: string;
  lastKey?: Record<string, string>;
}
export interface DeliveryPageRequest {
  after?: DeliveryPosition;
  limit: number;
}
export interface DeliveryPage {
  deliveries: Delivery[];
  /** Absent on the last page. */
  after?: DeliveryPosition;
}

/**
 * A page request's position is not one the same query could have returned: a cursor forged, or
 * taken from another customer's or another filter's pages. Expected at the edge (a 400 there).
 */
export class ForeignPositionError extends Error {
  constructor(readonly reason: string) {
    super(`the position does not belong to this query: ${reason}`);
    this.name = 'ForeignPositionError';
  }
}

/** What an erasure removed or anonymised in the table. */
export interface ErasureReport {
  anonymousId: string;
  profile: boolean;
  ledgerRows: number;
  contracts: number;
  events: number;
  /** The customer's touches in run items (batches, suppressed lists) anonymised like ledger rows. */
  runTouches: number;
}

/**
 * The durable trace of an erasure: no personal data, only the anonymous id (a keyed hash of the
 * customer id) and counts. It outlives backups: after a point-in-time restore (a new table), the
 * current table's receipts say whom to erase again (docs/personal-data.md).
 */
export interface ErasureReceipt extends ErasureReport {
  erasedAt: string;
}

/** What names one customer's personal data in stores outside the table, which hold it by value. */
export interface ErasureSubject {
  customerId: string;
  /** Every address the customer had (profile and ledger rows), normalized. */
  addresses: string[];
  /** The provider message ids of their ledger rows. */
  messageIds: string[];
}

/**
 * A store outside the table that holds personal data and can forget one customer: locally the bus
 * log and the outbox. None in the cloud (docs/personal-data.md lists what erase cannot reach there).
 */
export interface PersonalDataStore {
  /** How the erasure report names it, e.g. `localBusLog`. */
  readonly name: string;
  /** Removes what belongs to the subject, idempotently; returns how many records went. */
  erase(subject: ErasureSubject): Promise<number>;
}

/** One customer's data, for the ops API (export, erasure, single reads). */
export interface CustomerDataStore {
  getCustomer(id: string): Promise<Customer | undefined>;
  /**
   * The ids of the customers whose phone is this E.164 number, sorted (a family may share one).
   * One Query on a sparse index, never a Scan; eventually consistent, like every GSI.
   */
  customerIdsByPhone(phone: string): Promise<string[]>;
  /**
   * The ids of the customers whose email, trimmed and lower-cased, is this one, sorted. One Query on
   * the sparse byEmail index; eventually consistent. Profiles written before the index have no key
   * until they are written again (docs/table-design.md, "byEmail").
   */
  customerIdsByEmail(email: string): Promise<string[]>;
  getContract(id: string): Promise<Contract | undefined>;
  /** Contracts and events that name the customer (stored since references were introduced). */
  customerRecords(customerId: string): Promise<{ contracts: Contract[]; events: CustomerEvent[] }>;
  /**
   * Ledger rows in a stable order, one page at a time. Throws ForeignPositionError when `page.after`
   * is not a position this query could have returned.
   */
  pageDeliveries(
    filter: { campaignId?: string; customerId?: string },
    page: DeliveryPageRequest,
  ): Promise<DeliveryPage>;
  /**
   * Removes the customer's PII everywhere the table holds it (run items included, found through
   * references in the customer's partition); undefined when nothing was stored.
   */
  eraseCustomer(
    customerId: string,
    anonymousId: string,
    pseudonym: (value: string) => string,
  ): Promise<ErasureReport | undefined>;
  /** Keeps the receipt of an erasure (for good; a second erasure of the same id replaces it). */
  recordErasure(receipt: ErasureReceipt): Promise<void>;
}
