// Reads of the sparse day indexes: who is due on a day (DESIGN decision 1).
import type { Contract, Customer, CustomerEvent } from '../domain/documents.js';

/** A contract as the day indexes return it (the projected attributes, enough to plan and render). */
export type IndexedContract = Pick<
  Contract,
  'id' | 'customerId' | 'product' | 'startDate' | 'endDate' | 'status'
>;

export interface DueReader {
  /** Active contracts whose endDate is `day` (renewed/cancelled ones are not in the index). */
  contractsEndingOn(day: string): Promise<IndexedContract[]>;
  /** Active contracts whose startDate is `day`. */
  contractsStartingOn(day: string): Promise<IndexedContract[]>;
  /** Customer ids whose last activity (customer's local date, activity event types applied) is `day`. */
  customersLastActiveOn(day: string): Promise<string[]>;
  /** Customer ids whose birthday month-day is `monthDay` (`MM-DD`; `02-29` is its own key). */
  customersBornOn(monthDay: string): Promise<string[]>;
  /**
   * The profiles of customers last active on `day`, read with the day's index entries (which carry
   * the profile document), not one BatchGet item each; sorted by id.
   */
  profilesLastActiveOn(day: string): Promise<Customer[]>;
  /** The profiles of customers born on `monthDay`, as `profilesLastActiveOn`. */
  profilesBornOn(monthDay: string): Promise<Customer[]>;
  /** Events of `type` whose occurredAt falls on `day` in the customer's zone. */
  eventsOn(type: string, day: string): Promise<CustomerEvent[]>;
  /** Customers by id; missing ids are absent from the map. */
  getCustomers(ids: readonly string[]): Promise<Map<string, Customer>>;
  /** Contracts by id as they are now, whatever their status (the send-time recheck); missing ids are absent. */
  getContracts(ids: readonly string[]): Promise<Map<string, IndexedContract>>;
  /**
   * Each customer's last-activity local date as the day index holds it (activity events applied);
   * customers without one are absent. The send-time recheck compares it with a win-back's anchor.
   */
  lastActivityDays(customerIds: readonly string[]): Promise<Map<string, string>>;
}
