// The calendar plans up to 31 consecutive days, and their steps read the same index days over and
// over (a contract ending on Dec 30 is due for d-30 on Nov 30, for d-14 on Dec 16, …). Within one
// calendar request each due read is made once and shared by every day that needs it: the planning
// is the same use case, only its reads are deduplicated. Frequency-cap and ledger reads are not
// shared (they depend on the day planned). Results are shared, not copied: planning never mutates
// what it reads.
import type { Customer, CustomerEvent } from '../../domain/documents.js';
import type { DueReader, IndexedContract } from '../../ports/due.js';

/** Each key's read started once; a failed read is forgotten, so the next day asks again. */
function memo<T>(): (key: string, read: () => Promise<T>) => Promise<T> {
  const calls = new Map<string, Promise<T>>();
  return (key, read) => {
    const known = calls.get(key);
    if (known) return known;
    const started = read();
    calls.set(key, started);
    started.catch(() => calls.delete(key));
    return started;
  };
}

export function sharedDueReads(due: DueReader): DueReader {
  const contracts = memo<IndexedContract[]>();
  const ids = memo<string[]>();
  const profiles = memo<Customer[]>();
  const events = memo<CustomerEvent[]>();
  const customers = new Map<string, Promise<Customer | undefined>>();
  return {
    contractsEndingOn: (day) => contracts(`end|${day}`, () => due.contractsEndingOn(day)),
    contractsStartingOn: (day) => contracts(`start|${day}`, () => due.contractsStartingOn(day)),
    customersLastActiveOn: (day) => ids(`last|${day}`, () => due.customersLastActiveOn(day)),
    customersBornOn: (md) => ids(`born|${md}`, () => due.customersBornOn(md)),
    profilesLastActiveOn: (day) => profiles(`last|${day}`, () => due.profilesLastActiveOn(day)),
    profilesBornOn: (md) => profiles(`born|${md}`, () => due.profilesBornOn(md)),
    eventsOn: (type, day) => events(JSON.stringify([type, day]), () => due.eventsOn(type, day)),
    async getCustomers(wanted) {
      const missing = [...new Set(wanted)].filter((id) => !customers.has(id));
      if (missing.length > 0) {
        const read = due.getCustomers(missing);
        read.catch(() => {
          for (const id of missing) customers.delete(id);
        });
        for (const id of missing)
          customers.set(
            id,
            read.then((found) => found.get(id)),
          );
      }
      const out = new Map<string, Customer>();
      for (const id of wanted) {
        const c = await customers.get(id);
        if (c) out.set(id, c);
      }
      return out;
    },
    getContracts: (wanted) => due.getContracts(wanted),
    lastActivityDays: (wanted) => due.lastActivityDays(wanted),
  };
}
