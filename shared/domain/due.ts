// Reads a step's due occurrences through the day indexes: the store side of anchors.ts.
// Only reads what the anchor's day index holds for D − offset, never the whole table.
import type { DueReader } from '../ports/due.js';
import { contractOccurrences, customerOccurrences, dueQuery, eventOccurrences } from './anchors.js';
import type { Anchor, Customer, Settings } from './documents.js';
import type { Occurrence } from './touch.js';

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];

async function customersInOrder(reader: DueReader, ids: readonly string[]): Promise<Customer[]> {
  const found = await reader.getCustomers(unique(ids));
  return unique(ids).flatMap((id) => {
    const c = found.get(id);
    return c ? [c] : [];
  });
}

export async function dueOccurrences(
  reader: DueReader,
  anchor: Anchor,
  offsetDays: number,
  date: string,
  feb29: Settings['feb29'],
): Promise<Occurrence[]> {
  const query = dueQuery(anchor, offsetDays, date, feb29);
  switch (query.kind) {
    case 'contractEnd':
    case 'contractStart': {
      const contracts =
        query.kind === 'contractEnd'
          ? await reader.contractsEndingOn(query.day)
          : await reader.contractsStartingOn(query.day);
      const customers = await reader.getCustomers(unique(contracts.map((c) => c.customerId)));
      return contractOccurrences(anchor, query, contracts, customers);
    }
    case 'lastActivity':
      return customerOccurrences(
        query,
        await customersInOrder(reader, await reader.customersLastActiveOn(query.day)),
      );
    case 'birthday': {
      const ids = (await Promise.all(query.monthDays.map((md) => reader.customersBornOn(md)))).flat();
      return customerOccurrences(query, await customersInOrder(reader, ids), feb29);
    }
    case 'event': {
      const events = await reader.eventsOn(query.eventType, query.day);
      const customers = await reader.getCustomers(unique(events.map((e) => e.customerId)));
      return eventOccurrences(query, events, customers);
    }
  }
}
