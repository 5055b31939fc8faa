// One customer's data, for the ops API: single reads, the contracts and events that name the
// customer (through small reference items in the customer's partition, since the table has no
// by-customer index for them), a paged ledger query, and the GDPR erasure.
//
// Reference items: `CUSTOMER#<customerId>` / `REF#CONTRACT#<id>` and `REF#EVENT#<id>`, written when
// a contract or event is stored. A contract moved to another customer leaves a stale reference;
// readers check the document's customerId, so a stale one is ignored (and erased with the rest).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  type Contract,
  type Customer,
  type CustomerEvent,
  storedContractSchema,
  storedEventSchema,
} from '../domain/documents.js';
import type { Delivery } from '../domain/touch.js';
import type {
  CustomerDataStore,
  DeliveryPage,
  DeliveryPageRequest,
  ErasureReceipt,
  ErasureReport,
} from '../ports/customer-data.js';
import { assertPositionFits } from './delivery-position.js';
import { parseCustomer } from './documents.js';
import { CorruptItemError } from './errors.js';
import {
  CUSTOMER_PREFIX,
  deliveryItemSchema,
  idFrom,
  keys,
  parseItem,
  RUN_REF_PREFIX,
  runRefItemSchema,
} from './items.js';
import { attr, index, shardOf } from './keys.js';
import { anonymiseRunItems } from './run-item-erasure.js';
import type { Item, Key, Table } from './table.js';

const REF_CONTRACT = 'REF#CONTRACT#';
const REF_EVENT = 'REF#EVENT#';
const TOUCH = 'TOUCH#';
const ERASURES = 'ERASURES';

const refKey = (customerId: string, prefix: string, id: string): Key => ({
  pk: keys.customer(customerId).pk,
  sk: `${prefix}${id}`,
});

/** A DynamoDB LastEvaluatedKey of the ledger queries: string attributes only. */
const lastKeySchema = z.record(z.string(), z.string());

function parseDoc<S extends z.ZodType>(schema: S, item: Item, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new CorruptItemError(`${String(item.pk)}/${String(item.sk)}`, parsed.error.message);
  return parsed.data;
}

const parseContract = (item: Item): Contract => parseDoc(storedContractSchema, item, item.doc);
const parseEvent = (item: Item): CustomerEvent =>
  parseDoc(storedEventSchema, item, {
    id: item.id,
    customerId: item.customerId,
    type: item.type,
    occurredAt: item.occurredAt,
    ...(item.data !== undefined && { data: item.data }),
  });

export class CustomerData implements CustomerDataStore {
  constructor(private readonly table: Table) {}

  /** Called by the store after contracts are written. One small item per contract. */
  async indexContracts(contracts: readonly Contract[]): Promise<void> {
    await this.table.batchPut(contracts.map((c) => refKey(c.customerId, REF_CONTRACT, c.id)));
  }

  /** Called by the store with the events it newly stored. */
  async indexEvents(events: readonly CustomerEvent[]): Promise<void> {
    await this.table.batchPut(events.map((e) => refKey(e.customerId, REF_EVENT, e.id)));
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    const item = await this.table.get(keys.customer(id), { ConsistentRead: true });
    return item ? parseCustomer(item) : undefined;
  }

  async customerIdsByPhone(phone: string): Promise<string[]> {
    const items = await this.table.query({
      IndexName: index.byPhone,
      KeyConditionExpression: '#phone = :phone',
      ExpressionAttributeNames: { '#phone': attr.phone },
      ExpressionAttributeValues: { ':phone': phone },
    });
    // The index holds profiles only; anything else under the attribute would be a bug, not a customer.
    return items
      .filter((i) => i.sk === keys.customer('').sk)
      .map((i) => idFrom(i.pk, CUSTOMER_PREFIX))
      .sort();
  }

  async customerIdsByEmail(email: string): Promise<string[]> {
    const items = await this.table.query({
      IndexName: index.byEmail,
      KeyConditionExpression: '#email = :email',
      ExpressionAttributeNames: { '#email': attr.email },
      ExpressionAttributeValues: { ':email': email },
    });
    return items
      .filter((i) => i.sk === keys.customer('').sk)
      .map((i) => idFrom(i.pk, CUSTOMER_PREFIX))
      .sort();
  }

  async getContract(id: string): Promise<Contract | undefined> {
    const item = await this.table.get(keys.contract(id), { ConsistentRead: true });
    return item ? parseContract(item) : undefined;
  }

  async customerRecords(customerId: string): Promise<{ contracts: Contract[]; events: CustomerEvent[] }> {
    const refs = await this.refs(customerId);
    const [contracts, events] = await Promise.all([
      this.table.batchGet(refs.contracts.map(keys.contract)),
      this.table.batchGet(refs.events.map(keys.event)),
    ]);
    return {
      contracts: contracts
        .map(parseContract)
        .filter((c) => c.customerId === customerId)
        .sort((a, b) => a.id.localeCompare(b.id)),
      events: events
        .map(parseEvent)
        .filter((e) => e.customerId === customerId)
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id)),
    };
  }

  /**
   * One page of ledger rows in a stable order: by sort key within a customer's partition, by
   * (dueDate, customer, step, channel, occasion) within a campaign, campaigns by id when unfiltered.
   */
  async pageDeliveries(
    filter: { campaignId?: string; customerId?: string },
    page: DeliveryPageRequest,
  ): Promise<DeliveryPage> {
    if (page.after !== undefined) assertPositionFits(filter, page.after);
    if (filter.customerId !== undefined) {
      const out = await this.queryPage(
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.customer(filter.customerId).pk,
            ':prefix': filter.campaignId === undefined ? TOUCH : `${TOUCH}${filter.campaignId}#`,
          },
        },
        page.after?.lastKey,
        page.limit,
      );
      return {
        deliveries: out.items.map((i) => parseItem(deliveryItemSchema, i)),
        ...(out.lastKey && { after: { lastKey: out.lastKey } }),
      };
    }
    const campaignIds =
      filter.campaignId !== undefined ? [filter.campaignId] : await this.ledgerCampaignIds();
    const deliveries: Delivery[] = [];
    const after = page.after;
    // A cursor names the campaign it stopped in; a campaign deleted since then restarts nothing.
    const start = after?.campaignId === undefined ? 0 : campaignIds.indexOf(after.campaignId);
    if (start < 0) return { deliveries };
    const rest = campaignIds.slice(start);
    for (const [i, campaignId] of rest.entries()) {
      const remaining = page.limit - deliveries.length;
      // Full page: the next one starts at the top of this campaign.
      if (remaining <= 0) return { deliveries, after: { campaignId } };
      const from = after?.campaignId === campaignId ? after.lastKey : undefined;
      const out = await this.queryPage(
        {
          IndexName: index.byCampaign,
          KeyConditionExpression: '#c = :c',
          ExpressionAttributeNames: { '#c': attr.ledgerCampaign },
          ExpressionAttributeValues: { ':c': campaignId },
        },
        from,
        remaining,
      );
      deliveries.push(...(await this.rowsInOrder(out.items)));
      if (out.lastKey) return { deliveries, after: { campaignId, lastKey: out.lastKey } };
      const next = rest[i + 1];
      if (next !== undefined && deliveries.length >= page.limit)
        return { deliveries, after: { campaignId: next } };
    }
    return { deliveries };
  }

  /**
   * GDPR erasure. Ledger rows move to the partition of `anonymousId` without address, provider id
   * and error, their occasion replaced by `pseudonym(occasion)`; the customer's touches in run items
   * are anonymised the same way in place (run-item-erasure.ts); the profile, the contracts and
   * events that name the customer, the references and the activity registration are deleted.
   * Anonymised copies are written before originals are deleted, and the pseudonyms are
   * deterministic, so a rerun after a crash completes the erasure without double-counting.
   */
  async eraseCustomer(
    customerId: string,
    anonymousId: string,
    pseudonym: (value: string) => string,
  ): Promise<ErasureReport | undefined> {
    const pk = keys.customer(customerId).pk;
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
    if (items.length === 0) return undefined;
    const sks = items.map((i) => String(i.sk));
    const touches = items
      .filter((i) => String(i.sk).startsWith(TOUCH))
      .map((i) => parseItem(deliveryItemSchema, i));
    const anonymised = touches.map((d) => anonymisedRow(d, anonymousId, pseudonym));
    await this.table.batchPut(anonymised);
    // Run items copy addresses and anchor records for 90 days: anonymised before the references go.
    const runRefs = items
      .filter((i) => String(i.sk).startsWith(RUN_REF_PREFIX))
      .map((i) => parseItem(runRefItemSchema, i));
    const runTouches = await anonymiseRunItems(this.table, runRefs, { customerId, anonymousId, pseudonym });

    const refs = await this.refs(customerId);
    const [contracts, events] = await Promise.all([
      this.table.batchGet(refs.contracts.map(keys.contract)),
      this.table.batchGet(refs.events.map(keys.event)),
    ]);
    const ownContracts = contracts.filter((c) => c.customerId === customerId);
    const ownEvents = events.filter((e) => e.customerId === customerId);
    await this.table.batchDelete([
      ...ownContracts.map((c) => ({ pk: String(c.pk), sk: String(c.sk) })),
      ...ownEvents.map((e) => ({ pk: String(e.pk), sk: String(e.sk) })),
      keys.activityMember(shardOf(customerId), customerId),
      // Delivery feedback's message id lookups name the customer (later events are ignored).
      ...touches.flatMap((d) =>
        d.providerMessageId ? [keys.messageLookup(d.channel, d.providerMessageId)] : [],
      ),
    ]);
    // The partition last (profile included), so a rerun after a crash still finds what is left.
    await this.table.batchDelete(sks.map((sk) => ({ pk, sk })));
    return {
      anonymousId,
      profile: sks.includes(keys.customer(customerId).sk),
      ledgerRows: anonymised.length,
      contracts: ownContracts.length,
      events: ownEvents.length,
      runTouches,
    };
  }

  /** `ERASURES` / `<anonymousId>`: one small item per erasure, no TTL (docs/personal-data.md). */
  async recordErasure(receipt: ErasureReceipt): Promise<void> {
    await this.table.put({ pk: ERASURES, sk: receipt.anonymousId, ...receipt });
  }

  private async refs(customerId: string): Promise<{ contracts: string[]; events: string[] }> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ref)',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':ref': 'REF#' },
      ProjectionExpression: 'sk',
    });
    const sks = items.map((i) => String(i.sk));
    return {
      contracts: sks.filter((s) => s.startsWith(REF_CONTRACT)).map((s) => s.slice(REF_CONTRACT.length)),
      events: sks.filter((s) => s.startsWith(REF_EVENT)).map((s) => s.slice(REF_EVENT.length)),
    };
  }

  /** Campaign ids that may have ledger rows: the current campaigns, by id. */
  private async ledgerCampaignIds(): Promise<string[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaignPointer('').pk },
      ProjectionExpression: 'sk',
    });
    return items.map((i) => String(i.sk)).sort();
  }

  /** Ledger rows for index entries, in the index's order. */
  private async rowsInOrder(refs: readonly Item[]): Promise<Delivery[]> {
    const order = refs.map((r) => ({ pk: String(r.pk), sk: String(r.sk) }));
    const rows = (await this.table.batchGet(order)).map((i) => parseItem(deliveryItemSchema, i));
    const byKey = new Map(rows.map((d) => [`${keys.touch(d).pk}\u0000${keys.touch(d).sk}`, d]));
    return order.flatMap((k) => byKey.get(`${k.pk}\u0000${k.sk}`) ?? []);
  }

  /**
   * One Query page. Table.query reads every page, so this one calls the client itself; its
   * consumed capacity is therefore not in DynamoStore.capacity (a Table.queryPage would fix that).
   */
  private async queryPage(
    input: Pick<
      ConstructorParameters<typeof QueryCommand>[0],
      'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
    startKey: Record<string, string> | undefined,
    limit: number,
  ): Promise<{ items: Item[]; lastKey?: Record<string, string> }> {
    const out = await this.table.client.send(
      new QueryCommand({ ...input, TableName: this.table.name, Limit: limit, ExclusiveStartKey: startKey }),
    );
    const items = out.Items ?? [];
    // DynamoDB may return a LastEvaluatedKey on an exactly-full last page; an empty next page is fine.
    const lastKey = out.LastEvaluatedKey ? lastKeySchema.parse(out.LastEvaluatedKey) : undefined;
    return lastKey ? { items, lastKey } : { items };
  }
}

function anonymisedRow(d: Delivery, anonymousId: string, pseudonym: (value: string) => string): Item {
  const key = { ...d, customerId: anonymousId, occasion: pseudonym(d.occasion) };
  return {
    ...keys.touch(key),
    campaignId: d.campaignId,
    stepId: d.stepId,
    customerId: anonymousId,
    channel: d.channel,
    occasion: key.occasion,
    status: d.status,
    reason: d.reason,
    dueDate: d.dueDate,
    sendAt: d.sendAt,
    runId: d.runId,
    tier: d.tier,
    locale: d.locale,
    updatedAt: d.updatedAt,
    // A reservation's lease (wall clock) goes along, so the copy is reviewed as the original was.
    leasedAt: d.leasedAt,
    events: d.events,
    anonymised: true,
    // No capKey: an anonymous row never counts for anyone's frequency cap.
    [attr.ledgerCampaign]: d.campaignId,
    [attr.ledgerCampaignSk]: `${d.dueDate}#${anonymousId}#${d.stepId}#${d.channel}#${key.occasion}`,
  };
}
