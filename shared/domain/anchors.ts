// Anchors: which day-index entries a run for local date D reads for a step, and how the rows it
// gets back become occurrences (a customer, the anchor date and the occasion that keys the touch).
// The rows are re-checked here, so a store that returns a little too much (a shard read, a stale
// index entry) cannot make a step fire on the wrong day.
import type { IndexedContract } from '../ports/due.js';
import { addDays, birthdayInYear, birthdayMonthDay, isLeapYear, localDate } from './calendar.js';
import type { Anchor, Customer, CustomerEvent, Settings } from './documents.js';
import type { Occurrence } from './touch.js';

export type DueQuery =
  | { kind: 'contractEnd'; day: string }
  | { kind: 'contractStart'; day: string }
  | { kind: 'lastActivity'; day: string }
  | { kind: 'birthday'; monthDays: string[]; year: number; day: string }
  | { kind: 'event'; eventType: string; day: string };

/** What to read for a step with `offsetDays` on local date `date`: the anchor day is D − offset. */
export function dueQuery(
  anchor: Anchor,
  offsetDays: number,
  date: string,
  feb29: Settings['feb29'],
): DueQuery {
  const day = addDays(date, -offsetDays);
  switch (anchor.type) {
    case 'contractEnd':
    case 'contractStart':
    case 'lastActivity':
      return { kind: anchor.type, day };
    case 'event':
      return { kind: 'event', eventType: anchor.eventType, day };
    case 'birthday': {
      const year = Number(day.slice(0, 4));
      const monthDay = day.slice(5);
      const monthDays = [monthDay];
      // Feb 29 birthdays are indexed under their own key; in a non-leap year they are read on the
      // day `feb29` moves them to, and only then.
      if (
        !isLeapYear(year) &&
        ((feb29 === 'feb28' && monthDay === '02-28') || (feb29 === 'mar1' && monthDay === '03-01'))
      )
        monthDays.push('02-29');
      return { kind: 'birthday', monthDays, year, day };
    }
  }
}

export const occasionForContractEnd = (c: Pick<IndexedContract, 'id' | 'endDate'>): string =>
  `${c.id}:${c.endDate}`;
export const occasionForContractStart = (c: Pick<IndexedContract, 'id' | 'startDate'>): string =>
  `${c.id}:${c.startDate}`;
/** Last activity: the anchor day itself, so new activity starts a new occasion. */
export const occasionForLastActivity = (anchorDay: string): string => anchorDay;
export const occasionForBirthday = (year: number): string => String(year);
export const occasionForEvent = (event: Pick<CustomerEvent, 'id'>): string => event.id;

/** Contract-anchored occurrences: active contracts whose anchor date is the query day. */
export function contractOccurrences(
  anchor: Anchor,
  query: DueQuery,
  contracts: readonly IndexedContract[],
  customers: ReadonlyMap<string, Customer>,
): Occurrence[] {
  if (
    (anchor.type !== 'contractEnd' && anchor.type !== 'contractStart') ||
    (query.kind !== 'contractEnd' && query.kind !== 'contractStart') ||
    anchor.type !== query.kind
  )
    return [];
  const products = anchor.products;
  const out: Occurrence[] = [];
  for (const contract of contracts) {
    if (contract.status !== 'active') continue;
    if (products && !products.includes(contract.product)) continue;
    const anchorDate = query.kind === 'contractEnd' ? contract.endDate : contract.startDate;
    if (anchorDate !== query.day) continue;
    const customer = customers.get(contract.customerId);
    if (!customer) continue;
    const occasion =
      query.kind === 'contractEnd' ? occasionForContractEnd(contract) : occasionForContractStart(contract);
    out.push({ customer, anchorDate, occasion, contract: { ...contract } });
  }
  return out;
}

/**
 * Customer-anchored occurrences. Last activity: the store's day index already applies activity
 * events, so the customers given are taken as last active on the query day. Birthday: checked
 * against the query's year with `feb29` (default as in the settings' default).
 */
export function customerOccurrences(
  query: DueQuery,
  customers: readonly Customer[],
  feb29: Settings['feb29'] = 'feb28',
): Occurrence[] {
  if (query.kind === 'lastActivity')
    return customers.map((customer) => ({
      customer,
      anchorDate: query.day,
      occasion: occasionForLastActivity(query.day),
    }));
  if (query.kind !== 'birthday') return [];
  const out: Occurrence[] = [];
  for (const customer of customers) {
    if (!customer.birthday) continue;
    if (!query.monthDays.includes(birthdayMonthDay(customer.birthday))) continue;
    if (birthdayInYear(customer.birthday, query.year, feb29) !== query.day) continue;
    out.push({ customer, anchorDate: query.day, occasion: occasionForBirthday(query.year) });
  }
  return out;
}

/** Event-anchored occurrences: events of the type that happened on the query day in the customer's zone. */
export function eventOccurrences(
  query: DueQuery,
  events: readonly CustomerEvent[],
  customers: ReadonlyMap<string, Customer>,
): Occurrence[] {
  if (query.kind !== 'event') return [];
  const out: Occurrence[] = [];
  for (const event of events) {
    if (event.type !== query.eventType) continue;
    const customer = customers.get(event.customerId);
    if (!customer) continue;
    if (localDate(event.occurredAt, customer.timeZone) !== query.day) continue;
    out.push({ customer, anchorDate: query.day, occasion: occasionForEvent(event), event });
  }
  return out;
}
