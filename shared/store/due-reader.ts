// The due reads: each day is spread over DAY_SHARDS index partitions, queried in parallel, so a
// run reads only what is due and a hot day is not one hot partition.
import type { Customer, CustomerEvent } from '../domain/documents.js';
import type { DueReader, IndexedContract } from '../ports/due.js';
import { parseCustomer } from './documents.js';
import {
  CONTRACT_PREFIX,
  CUSTOMER_PREFIX,
  contractIndexItemSchema,
  eventItemSchema,
  idFrom,
  keys,
  parseItem,
} from './items.js';
import { attr, DAY_SHARDS, index, legacyIndex } from './keys.js';
import type { Item, Table } from './table.js';

/**
 * DynamoDB's answer to a Query on an index the table does not have, or one still backfilling:
 * a ValidationException naming the index ("does not have the specified index", "Cannot read from
 * backfilling global secondary index").
 */
function indexNotReadable(err: unknown, indexName: string): boolean {
  return err instanceof Error && err.name === 'ValidationException' && err.message.includes(indexName);
}

// Shards come back in any order; sorted results keep plans reproducible.
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class DueReads implements DueReader {
  constructor(private readonly table: Table) {}

  /** All items of one day across its shards, on a day index keyed `<prefix>#<shard>`. */
  private async day(indexName: string, keyAttr: string, prefix: string): Promise<Item[]> {
    const shards = Array.from({ length: DAY_SHARDS }, (_, s) => s);
    const pages = await Promise.all(
      shards.map((s) =>
        this.table.query({
          IndexName: indexName,
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': keyAttr },
          ExpressionAttributeValues: { ':k': `${prefix}#${s}` },
        }),
      ),
    );
    return pages.flat();
  }

  /**
   * The profiles of one day from a customer day index that carries `doc`. A stack migrating from
   * the KEYS_ONLY indexes may not have it yet, or have it still backfilling: then the ids come
   * from the legacy index and the profiles from a BatchGet, as before (docs/table-design.md).
   */
  private async profilesOfDay(
    profileIndex: string,
    legacy: string,
    keyAttr: string,
    prefix: string,
  ): Promise<Customer[]> {
    let items: Item[];
    try {
      items = await this.day(profileIndex, keyAttr, prefix);
    } catch (err) {
      if (!indexNotReadable(err, profileIndex)) throw err;
      const ids = await this.day(legacy, keyAttr, prefix);
      const found = await this.getCustomers(ids.map((i) => idFrom(i.pk, CUSTOMER_PREFIX)));
      return [...found.values()].sort(byId);
    }
    return items.map(parseCustomer).sort(byId);
  }

  private async contracts(indexName: string, keyAttr: string, day: string): Promise<IndexedContract[]> {
    const items = await this.day(indexName, keyAttr, day);
    return items
      .map((item) => {
        const { pk, ...c } = parseItem(contractIndexItemSchema, item);
        return { id: idFrom(pk, CONTRACT_PREFIX), ...c };
      })
      .sort(byId);
  }

  contractsEndingOn(day: string): Promise<IndexedContract[]> {
    return this.contracts(index.byContractEnd, attr.contractEndDay, day);
  }

  contractsStartingOn(day: string): Promise<IndexedContract[]> {
    return this.contracts(index.byContractStart, attr.contractStartDay, day);
  }

  async customersLastActiveOn(day: string): Promise<string[]> {
    return (await this.profilesLastActiveOn(day)).map((c) => c.id);
  }

  async customersBornOn(monthDay: string): Promise<string[]> {
    return (await this.profilesBornOn(monthDay)).map((c) => c.id);
  }

  profilesLastActiveOn(day: string): Promise<Customer[]> {
    return this.profilesOfDay(
      index.byLastActivityProfile,
      legacyIndex.byLastActivity,
      attr.lastActivityDay,
      day,
    );
  }

  profilesBornOn(monthDay: string): Promise<Customer[]> {
    return this.profilesOfDay(index.byBirthdayProfile, legacyIndex.byBirthday, attr.birthdayDay, monthDay);
  }

  async eventsOn(type: string, day: string): Promise<CustomerEvent[]> {
    const items = await this.day(index.byEventDay, attr.eventDay, `${type}#${day}`);
    return items
      .map((item) => {
        const { data, ...e } = parseItem(eventItemSchema, item);
        return data === undefined ? e : { ...e, data };
      })
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || byId(a, b));
  }

  async getCustomers(ids: readonly string[]): Promise<Map<string, Customer>> {
    const items = await this.table.batchGet(ids.map(keys.customer), { projection: 'pk, sk, doc' });
    return new Map(items.map((item) => [idFrom(item.pk, CUSTOMER_PREFIX), parseCustomer(item)]));
  }

  async getContracts(ids: readonly string[]): Promise<Map<string, IndexedContract>> {
    const items = await this.table.batchGet(ids.map(keys.contract), {
      projection: 'pk, customerId, product, startDate, endDate, #s',
      names: { '#s': 'status' },
    });
    return new Map(
      items.map((item) => {
        const { pk, ...c } = parseItem(contractIndexItemSchema, item);
        const id = idFrom(pk, CONTRACT_PREFIX);
        return [id, { id, ...c }];
      }),
    );
  }

  async lastActivityDays(customerIds: readonly string[]): Promise<Map<string, string>> {
    const items = await this.table.batchGet(customerIds.map(keys.customer), {
      projection: 'pk, #d',
      names: { '#d': attr.lastActivityDay },
    });
    const out = new Map<string, string>();
    for (const item of items) {
      const day = item[attr.lastActivityDay];
      // Stored as `<YYYY-MM-DD>#<shard>` (the day index's key).
      if (typeof day === 'string') out.set(idFrom(item.pk, CUSTOMER_PREFIX), day.slice(0, 10));
    }
    return out;
  }
}
