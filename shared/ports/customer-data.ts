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

/** What an erasure removed or anonymised. */
export interface ErasureReport {
  anonymousId: string;
  profile: boolean;
  ledgerRows: number;
  contracts: number;
  events: number;
}

/** One customer's data, for the ops API (export, erasure, single reads). */
export interface CustomerDataStore {
  getCustomer(id: string): Promise<Customer | undefined>;
  getContract(id: string): Promise<Contract | undefined>;
  /** Contracts and events that name the customer (stored since references were introduced). */
  customerRecords(customerId: string): Promise<{ contracts: Contract[]; events: CustomerEvent[] }>;
  /** Ledger rows in a stable order, one page at a time. */
  pageDeliveries(
    filter: { campaignId?: string; customerId?: string },
    page: DeliveryPageRequest,
  ): Promise<DeliveryPage>;
  /** Removes the customer's PII everywhere the store can reach it; undefined when nothing was stored. */
  eraseCustomer(
    customerId: string,
    anonymousId: string,
    pseudonym: (value: string) => string,
  ): Promise<ErasureReport | undefined>;
}
