// An in-memory stand-in for the DocumentStore methods imports use, recording every write call.
import type { Contract, Customer, CustomerEvent } from '../../../shared/domain/documents.js';
import type { ImportStore } from '../../../shared/import/import-file.js';
import type { DocumentStore } from '../../../shared/ports/documents.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';

/** Attribution's stores, empty: no campaign has a goal, so imports here attribute nothing. */
const noGoals = () => {
  const { campaigns, customers, settings, conversions, results } = memoryStores();
  return { campaigns, customers, settings, conversions, results };
};

export class FakeImportStore implements ImportStore, DocumentStore {
  /** The import's one port is this object itself. */
  get documents(): DocumentStore {
    return this;
  }

  private readonly attribution = noGoals();
  readonly campaigns = this.attribution.campaigns;
  readonly customers = this.attribution.customers;
  readonly settings = this.attribution.settings;
  readonly conversions = this.attribution.conversions;
  readonly results = this.attribution.results;

  readonly customerDocs = new Map<string, Customer>();
  readonly contracts = new Map<string, Contract>();
  readonly events = new Map<string, CustomerEvent>();
  /** Sizes of each write call, in order. */
  readonly writeBatches: number[] = [];
  readonly lookups: string[][] = [];

  /** With `keep: false` only counts are kept, for large imports where the test watches memory. */
  constructor(private readonly keep = true) {}

  get writes(): number {
    return this.writeBatches.length;
  }

  async putCustomers(customers: readonly Customer[]): Promise<void> {
    this.writeBatches.push(customers.length);
    if (this.keep) for (const c of customers) this.customerDocs.set(c.id, c);
  }

  async putContracts(contracts: readonly Contract[]): Promise<void> {
    this.writeBatches.push(contracts.length);
    if (this.keep) for (const c of contracts) this.contracts.set(c.id, c);
  }

  async putEvents(events: readonly CustomerEvent[]): Promise<string[]> {
    this.writeBatches.push(events.length);
    const fresh = events.filter((e) => !this.events.has(e.id));
    for (const e of fresh) this.events.set(e.id, e);
    return fresh.map((e) => e.id);
  }

  async existingCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    this.lookups.push([...ids]);
    return new Set(ids.filter((id) => this.customerDocs.has(id)));
  }
}
