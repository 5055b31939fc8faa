// Settings, customers, contracts and events: the documents, plus the derived day-index keys that
// make the due reads cheap (a customer's last-activity day depends on events and on settings).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DateTime } from 'luxon';
import * as z from 'zod';
import { type ActivityByType, effectiveLastActivityAt, recordActivity } from '../domain/activity.js';
import { normalizeEmail } from '../domain/addresses.js';
import { type ConsentState, type CurrentConsent, changeId, mergeRecordConsent } from '../domain/consent.js';
import {
  type Contract,
  type Customer,
  type CustomerEvent,
  type Settings,
  storedCustomerSchema,
} from '../domain/documents.js';
import type { DocumentStore, PutCustomersOptions } from '../ports/documents.js';
import type { SettingsStore } from '../ports/settings.js';
import { ConcurrentUpdateError, CorruptItemError, UnknownCustomerError } from './errors.js';
import {
  CUSTOMER_PREFIX,
  consentHistoryItem,
  consentStateSchema,
  customerItemSchema,
  idFrom,
  keys,
  parseItem,
} from './items.js';
import { attr, DAY_SHARDS, shardOf } from './keys.js';
import { readSettings } from './settings-reader.js';
import { type Item, mapLimit, type Table } from './table.js';

const PARALLEL_WRITES = 8;
const profileConsentItemSchema = z.object({ consentState: consentStateSchema.default({}) });
const MAX_OPTIMISTIC_ATTEMPTS = 10;

/** The calendar date of an instant in a zone (YYYY-MM-DD). */
export function localDate(instant: string, zone: string): string {
  const day = DateTime.fromISO(instant, { zone }).toISODate();
  if (day === null) throw new CorruptItemError(instant, `not an instant in zone ${zone}`);
  return day;
}

function lastActivityDay(
  customer: Customer,
  activity: ActivityByType,
  settings: Settings,
): string | undefined {
  const last = effectiveLastActivityAt(customer, activity, settings);
  return last === undefined ? undefined : `${localDate(last, customer.timeZone)}#${shardOf(customer.id)}`;
}

function customerItem(customer: Customer, activity: ActivityByType, rev: number, settings: Settings): Item {
  return {
    ...keys.customer(customer.id),
    doc: customer,
    activity,
    rev,
    [attr.lastActivityDay]: lastActivityDay(customer, activity, settings),
    // MM-DD of either birthday form; Feb 29 stays its own key (planning maps it by settings.feb29).
    [attr.birthdayDay]: customer.birthday
      ? `${customer.birthday.slice(-5)}#${shardOf(customer.id)}`
      : undefined,
    // Sparse: a profile without a phone is not in the index inbound SMS are matched with.
    [attr.phone]: customer.phone,
    // Sparse too: the console finds a profile by its email (trimmed, lower-cased) through byEmail.
    [attr.email]: customer.email ? normalizeEmail(customer.email) : undefined,
  };
}

export function contractItem(contract: Contract): Item {
  const shard = shardOf(contract.id);
  const active = contract.status === 'active';
  return {
    ...keys.contract(contract.id),
    doc: contract,
    customerId: contract.customerId,
    product: contract.product,
    startDate: contract.startDate,
    endDate: contract.endDate,
    status: contract.status,
    // Sparse: a renewed or cancelled contract has exited, so it leaves both day indexes.
    [attr.contractEndDay]: active ? `${contract.endDate}#${shard}` : undefined,
    [attr.contractStartDay]: active ? `${contract.startDate}#${shard}` : undefined,
  };
}

export function parseCustomer(item: Item): Customer {
  const parsed = storedCustomerSchema.safeParse(item.doc);
  if (!parsed.success)
    throw new CorruptItemError(`${String(item.pk)}/${String(item.sk)}`, parsed.error.message);
  return parsed.data;
}

/** Contract and event writes also add the customer's reference to them (export and erasure find them without a Scan). */
export interface CustomerRefs {
  indexContracts(contracts: readonly Contract[]): Promise<void>;
  indexEvents(events: readonly CustomerEvent[]): Promise<void>;
}

export class Documents implements DocumentStore, SettingsStore {
  constructor(
    private readonly table: Table,
    private readonly refs: CustomerRefs,
  ) {}

  getSettings(): Promise<Settings> {
    return readSettings(this.table);
  }

  async putSettings(settings: Settings): Promise<void> {
    const before = await this.getSettings();
    await this.table.put({ ...keys.settings(), doc: settings });
    const changed = JSON.stringify(before.activityEventTypes) !== JSON.stringify(settings.activityEventTypes);
    if (changed) await this.rederiveLastActivity(settings);
  }

  async putCustomers(customers: readonly Customer[], opts: PutCustomersOptions = {}): Promise<void> {
    if (customers.length === 0) return;
    const settings = await this.getSettings();
    const existing = new Map<
      string,
      { activity: ActivityByType; rev: number; consent: CurrentConsent; consentState: ConsentState }
    >();
    const items = await this.table.batchGet(
      customers.map((c) => keys.customer(c.id)),
      // Consistent: an event recorded just before this import must not be dropped from `activity`,
      // nor an opt-out just made be overwritten.
      { projection: 'pk, sk, activity, rev, consentState, #doc', names: { '#doc': 'doc' }, consistent: true },
    );
    for (const item of items)
      existing.set(idFrom(item.pk, CUSTOMER_PREFIX), {
        ...parseItem(customerItemSchema, item),
        consent: parseCustomer(item).consent,
        consentState: parseItem(profileConsentItemSchema, item).consentState,
      });
    const source = opts.source ?? 'import';
    const now = opts.now ?? new Date().toISOString();
    const history: Item[] = [];
    const profiles = customers.map((c) => {
      const prev = existing.get(c.id);
      // The precedence rule: an opt-out of the customer's own stands (docs/consent.md).
      const merged = mergeRecordConsent(prev && { consent: prev.consent, state: prev.consentState }, c, {
        source,
        now,
        ...(opts.evidence !== undefined && { evidence: opts.evidence }),
      });
      if (merged.keptOptedOut && opts.tally) opts.tally.keptOptedOut += 1;
      for (const entry of merged.entries)
        history.push(consentHistoryItem(c.id, entry, changeId({ customerId: c.id, ...entry })));
      return {
        ...customerItem(
          { ...c, consent: merged.consent },
          prev?.activity ?? {},
          (prev?.rev ?? 0) + 1,
          settings,
        ),
        consentState: Object.keys(merged.state).length > 0 ? merged.state : undefined,
      };
    });
    await this.table.batchPut(history);
    await this.table.batchPut(profiles);
  }

  async putContracts(contracts: readonly Contract[]): Promise<void> {
    await this.table.batchPut(contracts.map(contractItem));
    await this.refs.indexContracts(contracts);
  }

  async putEvents(events: readonly CustomerEvent[]): Promise<string[]> {
    const unique = [...new Map(events.map((e) => [e.id, e] as const).reverse()).values()].reverse();
    if (unique.length === 0) return [];
    const customerIds = [...new Set(unique.map((e) => e.customerId))];
    const profiles = await this.table.batchGet(customerIds.map(keys.customer));
    const zones = new Map(profiles.map((p) => [idFrom(p.pk, CUSTOMER_PREFIX), parseCustomer(p).timeZone]));
    const unknown = customerIds.filter((id) => !zones.has(id));
    if (unknown.length > 0) throw new UnknownCustomerError(unknown);

    const inserted = await mapLimit(unique, PARALLEL_WRITES, (e) => {
      const zone = zones.get(e.customerId) ?? 'UTC';
      return this.table.putNew({
        ...keys.event(e.id),
        id: e.id,
        customerId: e.customerId,
        type: e.type,
        occurredAt: e.occurredAt,
        data: e.data,
        [attr.eventDay]: `${e.type}#${localDate(e.occurredAt, zone)}#${shardOf(e.id)}`,
      });
    });
    const fresh = unique.filter((_, i) => inserted[i]);
    // An event already stored may have been written by an attempt that failed before its follow-ups
    // (references, activity): finish them for each one stored exactly as given. Both are idempotent,
    // so a retried import or a redelivered event ends as if it had been stored once.
    const stored = await this.storedAsGiven(unique.filter((_, i) => !inserted[i]));
    const settle = [...fresh, ...stored];
    if (settle.length === 0) return [];
    await this.refs.indexEvents(settle);

    const settings = await this.getSettings();
    const byCustomer = new Map<string, CustomerEvent[]>();
    for (const e of settle) byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), e]);
    await mapLimit([...byCustomer], PARALLEL_WRITES, async ([customerId, own]) => {
      await this.table.put(keys.activityMember(shardOf(customerId), customerId));
      await this.updateActivity(customerId, settings, (a) =>
        own.reduce((acc, e) => recordActivity(acc, e.type, e.occurredAt), a),
      );
    });
    return fresh.map((e) => e.id);
  }

  /** Those of `events` whose stored row has the same customer, type and time (an id reused for another event keeps the first). */
  private async storedAsGiven(events: readonly CustomerEvent[]): Promise<CustomerEvent[]> {
    if (events.length === 0) return [];
    const rows = await this.table.batchGet(
      events.map((e) => keys.event(e.id)),
      { consistent: true },
    );
    const byKey = new Map(rows.map((r) => [String(r.pk), r]));
    return events.filter((e) => {
      const row = byKey.get(String(keys.event(e.id).pk));
      return row?.customerId === e.customerId && row.type === e.type && row.occurredAt === e.occurredAt;
    });
  }

  async existingCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    const items = await this.table.batchGet(ids.map(keys.customer), { projection: 'pk' });
    return new Set(items.map((i) => idFrom(i.pk, CUSTOMER_PREFIX)));
  }

  /** Customers with events are registered per shard, so a settings change reaches them without a Scan. */
  private async rederiveLastActivity(settings: Settings): Promise<void> {
    const shards = Array.from({ length: DAY_SHARDS }, (_, s) => s);
    const members = await Promise.all(
      shards.map((s) =>
        this.table.query({
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.activityMember(s, '').pk },
          ProjectionExpression: 'sk',
        }),
      ),
    );
    const ids = members.flat().map((m) => String(m.sk));
    await mapLimit(ids, PARALLEL_WRITES, (id) => this.updateActivity(id, settings, (a) => a));
  }

  /**
   * Read-modify-write of a customer's activity map and last-activity day, guarded by the item's
   * revision so a concurrent event or import is never silently overwritten.
   */
  private async updateActivity(
    customerId: string,
    settings: Settings,
    change: (activity: ActivityByType) => ActivityByType,
  ): Promise<void> {
    const key = keys.customer(customerId);
    for (let attempt = 0; attempt < MAX_OPTIMISTIC_ATTEMPTS; attempt++) {
      const item = await this.table.get(key, { ConsistentRead: true });
      if (!item) return; // removed meanwhile: nothing to index
      const { activity, rev } = parseItem(customerItemSchema, item);
      const customer = parseCustomer(item);
      const next = change(activity);
      const day = lastActivityDay(customer, next, settings);
      if (next === activity && day === item[attr.lastActivityDay]) return;
      try {
        await this.table.update(key, {
          UpdateExpression: `SET activity = :a, rev = :next ${day ? ', #d = :d' : 'REMOVE #d'}`,
          ConditionExpression: rev === 0 ? 'attribute_not_exists(rev) OR rev = :rev' : 'rev = :rev',
          ExpressionAttributeNames: { '#d': attr.lastActivityDay },
          ExpressionAttributeValues: {
            ':a': next,
            ':next': rev + 1,
            ':rev': rev,
            ...(day ? { ':d': day } : {}),
          },
        });
        return;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    throw new ConcurrentUpdateError(`${key.pk}/${key.sk}`);
  }
}
