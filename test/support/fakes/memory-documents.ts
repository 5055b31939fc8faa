// In-memory documents: settings, customers, contracts and events, with the due reads and the
// one-customer reads answered by filtering them the way the day indexes and references would.
import {
  type ActivityByType,
  effectiveLastActivityAt,
  recordActivity,
} from '../../../shared/domain/activity.js';
import { birthdayMonthDay, localDate } from '../../../shared/domain/calendar.js';
import {
  type ConsentHistoryEntry,
  type ConsentState,
  mergeRecordConsent,
} from '../../../shared/domain/consent.js';
import {
  type Contract,
  type Customer,
  type CustomerEvent,
  defaultSettings,
  type Settings,
} from '../../../shared/domain/documents.js';
import type { Delivery } from '../../../shared/domain/touch.js';
import type {
  CustomerDataStore,
  DeliveryPage,
  DeliveryPageRequest,
  ErasureReceipt,
  ErasureReport,
} from '../../../shared/ports/customer-data.js';
import type { DocumentStore, PutCustomersOptions } from '../../../shared/ports/documents.js';
import type { DueReader } from '../../../shared/ports/due.js';
import type { SettingsStore } from '../../../shared/ports/settings.js';
import { UnknownCustomerError } from '../../../shared/store/errors.js';
import type { MemoryLedger } from './memory-ledger.js';
import type { MemoryRuns } from './memory-runs.js';

const byIdOf = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class MemoryDocuments implements DocumentStore, SettingsStore, DueReader, CustomerDataStore {
  settings: Settings = defaultSettings();
  readonly customers = new Map<string, Customer>();
  readonly contracts = new Map<string, Contract>();
  readonly events = new Map<string, CustomerEvent>();
  private readonly activity = new Map<string, ActivityByType>();

  constructor(
    private readonly ledger: MemoryLedger,
    /** Run items, so an erasure reaches the touches they copy (the adapter finds them through references). */
    private readonly runs?: MemoryRuns,
  ) {}

  async getSettings(): Promise<Settings> {
    return structuredClone(this.settings);
  }
  async putSettings(settings: Settings): Promise<void> {
    this.settings = structuredClone(settings);
  }

  /** Latest consent change per slot and the history, by customer (the adapter keeps them in the partition). */
  readonly consentStates = new Map<string, ConsentState>();
  readonly consentHistories = new Map<string, ConsentHistoryEntry[]>();

  async putCustomers(customers: readonly Customer[], opts: PutCustomersOptions = {}): Promise<void> {
    for (const c of customers) {
      const prev = this.customers.get(c.id);
      const merged = mergeRecordConsent(
        prev && { consent: prev.consent, state: this.consentStates.get(c.id) ?? {} },
        c,
        {
          source: opts.source ?? 'import',
          now: opts.now ?? new Date().toISOString(),
          ...(opts.evidence !== undefined && { evidence: opts.evidence }),
        },
      );
      if (merged.keptOptedOut && opts.tally) opts.tally.keptOptedOut += 1;
      this.customers.set(c.id, structuredClone({ ...c, consent: merged.consent }));
      this.consentStates.set(c.id, merged.state);
      if (merged.entries.length > 0)
        this.consentHistories.set(c.id, [...(this.consentHistories.get(c.id) ?? []), ...merged.entries]);
    }
  }
  async putContracts(contracts: readonly Contract[]): Promise<void> {
    for (const c of contracts) this.contracts.set(c.id, structuredClone(c));
  }
  async putEvents(events: readonly CustomerEvent[]): Promise<string[]> {
    const unknown = [...new Set(events.map((e) => e.customerId))].filter((id) => !this.customers.has(id));
    if (unknown.length > 0) throw new UnknownCustomerError(unknown);
    const fresh: string[] = [];
    for (const e of events) {
      if (this.events.has(e.id)) continue;
      this.events.set(e.id, structuredClone(e));
      this.activity.set(
        e.customerId,
        recordActivity(this.activity.get(e.customerId) ?? {}, e.type, e.occurredAt),
      );
      fresh.push(e.id);
    }
    return fresh;
  }
  async existingCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.customers.has(id)));
  }

  // ---------------------------------------------------------------- due reads
  async contractsEndingOn(day: string) {
    return [...this.contracts.values()].filter((c) => c.status === 'active' && c.endDate === day);
  }
  async contractsStartingOn(day: string) {
    return [...this.contracts.values()].filter((c) => c.status === 'active' && c.startDate === day);
  }
  async customersLastActiveOn(day: string) {
    return [...this.customers.values()]
      .filter((c) => {
        const at = effectiveLastActivityAt(c, this.activity.get(c.id) ?? {}, this.settings);
        return at !== undefined && localDate(at, c.timeZone) === day;
      })
      .map((c) => c.id);
  }
  async customersBornOn(monthDay: string) {
    return [...this.customers.values()]
      .filter((c) => c.birthday !== undefined && birthdayMonthDay(c.birthday) === monthDay)
      .map((c) => c.id);
  }
  /** The index entries carry the profiles: not a read by id (getCustomers), which tests may count. */
  private profilesOf(ids: readonly string[]): Customer[] {
    return ids
      .flatMap((id) => {
        const c = this.customers.get(id);
        return c ? [structuredClone(c)] : [];
      })
      .sort(byIdOf);
  }
  async profilesLastActiveOn(day: string) {
    return this.profilesOf(await this.customersLastActiveOn(day));
  }
  async profilesBornOn(monthDay: string) {
    return this.profilesOf(await this.customersBornOn(monthDay));
  }
  async eventsOn(type: string, day: string) {
    return [...this.events.values()].filter((e) => {
      const c = this.customers.get(e.customerId);
      return e.type === type && c !== undefined && localDate(e.occurredAt, c.timeZone) === day;
    });
  }
  async getCustomers(ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) => {
        const c = this.customers.get(id);
        return c ? [[id, structuredClone(c)] as const] : [];
      }),
    );
  }

  async getContracts(ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) => {
        const c = this.contracts.get(id);
        return c
          ? [
              [
                id,
                {
                  id,
                  customerId: c.customerId,
                  product: c.product,
                  startDate: c.startDate,
                  endDate: c.endDate,
                  status: c.status,
                },
              ] as const,
            ]
          : [];
      }),
    );
  }
  async lastActivityDays(customerIds: readonly string[]) {
    const out = new Map<string, string>();
    for (const id of customerIds) {
      const c = this.customers.get(id);
      const at = c && effectiveLastActivityAt(c, this.activity.get(c.id) ?? {}, this.settings);
      if (c && at !== undefined) out.set(id, localDate(at, c.timeZone));
    }
    return out;
  }

  // ---------------------------------------------------------------- one customer's data
  async getCustomer(id: string): Promise<Customer | undefined> {
    return structuredClone(this.customers.get(id));
  }
  async customerIdsByPhone(phone: string): Promise<string[]> {
    return [...this.customers.values()]
      .filter((c) => c.phone === phone)
      .map((c) => c.id)
      .sort();
  }
  async customerIdsByEmail(email: string): Promise<string[]> {
    return [...this.customers.values()]
      .filter((c) => c.email?.trim().toLowerCase() === email)
      .map((c) => c.id)
      .sort();
  }
  async getContract(id: string): Promise<Contract | undefined> {
    return structuredClone(this.contracts.get(id));
  }
  async customerRecords(customerId: string): Promise<{ contracts: Contract[]; events: CustomerEvent[] }> {
    return {
      contracts: [...this.contracts.values()].filter((c) => c.customerId === customerId),
      events: [...this.events.values()].filter((e) => e.customerId === customerId),
    };
  }
  async pageDeliveries(
    filter: { campaignId?: string; customerId?: string },
    page: DeliveryPageRequest,
  ): Promise<DeliveryPage> {
    const all = await this.ledger.listDeliveries(filter);
    const start = Number(page.after?.lastKey?.offset ?? 0);
    const deliveries = all.slice(start, start + page.limit);
    const next = start + deliveries.length;
    return { deliveries, ...(next < all.length && { after: { lastKey: { offset: String(next) } } }) };
  }
  readonly erasures = new Map<string, ErasureReceipt>();
  async recordErasure(receipt: ErasureReceipt): Promise<void> {
    this.erasures.set(receipt.anonymousId, structuredClone(receipt));
  }
  async eraseCustomer(
    customerId: string,
    anonymousId: string,
    pseudonym: (value: string) => string,
  ): Promise<ErasureReport | undefined> {
    const rows = [...this.ledger.rows].filter(([, d]) => d.customerId === customerId);
    const { contracts, events } = await this.customerRecords(customerId);
    const profile = this.customers.delete(customerId);
    this.consentStates.delete(customerId);
    this.consentHistories.delete(customerId);
    if (!profile && rows.length === 0 && contracts.length === 0 && events.length === 0) return undefined;
    for (const [key, d] of rows) {
      this.ledger.rows.delete(key);
      const { address: _address, providerMessageId: _id, error: _error, ...kept } = d;
      const anonymous: Delivery = { ...kept, customerId: anonymousId, occasion: pseudonym(d.occasion) };
      this.ledger.rows.set(`anon|${key}`, anonymous);
    }
    for (const c of contracts) this.contracts.delete(c.id);
    for (const e of events) this.events.delete(e.id);
    this.activity.delete(customerId);
    return {
      anonymousId,
      profile,
      ledgerRows: rows.length,
      contracts: contracts.length,
      events: events.length,
      runTouches: this.runs?.anonymise(customerId, anonymousId, pseudonym) ?? 0,
    };
  }
}
