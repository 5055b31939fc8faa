// The DynamoDB adapter of the Store port: one table (infra/constructs/store.ts), one part per
// concern, composed here. docs/table-design.md describes the items and access patterns.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign, Channel, Contract, Customer, CustomerEvent, Settings } from '../domain/documents.js';
import type { CampaignRecord, Delivery, PlannedTouch, TouchKey } from '../domain/touch.js';
import type {
  Clock,
  DeliveryPage,
  DeliveryPageRequest,
  ErasureReport,
  ImportJob,
  ImportJobStatus,
  ImportJobUpdate,
  IndexedContract,
  Partner,
  PartnerSecret,
  RunBatch,
  RunMeta,
  Store,
  SuppressionEntry,
} from '../ports.js';
import { Campaigns } from './campaigns.js';
import { CustomerData } from './customer-data.js';
import { Documents } from './documents.js';
import { DueReads } from './due-reader.js';
import { ImportJobRows } from './import-jobs.js';
import { LedgerRows } from './ledger.js';
import { Partners } from './partners.js';
import { Runs } from './runs.js';
import { Suppressions } from './suppression.js';
import { type Capacity, Table } from './table.js';

export interface DynamoStoreOptions {
  /** Best created with `removeUndefinedValues: true` (the store also strips undefined itself). */
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Stamps updatedAt and run expiry; defaults to the system clock. */
  clock?: Clock;
}

const systemClock: Clock = { now: () => new Date() };

export class DynamoStore implements Store {
  private readonly table: Table;
  private readonly documents: Documents;
  private readonly due: DueReads;
  private readonly campaigns: Campaigns;
  private readonly suppressions: Suppressions;
  private readonly ledger: LedgerRows;
  private readonly runs: Runs;
  private readonly customerData: CustomerData;
  private readonly partners: Partners;
  private readonly importJobs: ImportJobRows;

  constructor(opts: DynamoStoreOptions) {
    const clock = opts.clock ?? systemClock;
    this.table = new Table(opts.client, opts.tableName);
    this.documents = new Documents(this.table);
    this.due = new DueReads(this.table);
    this.campaigns = new Campaigns(this.table, clock);
    this.suppressions = new Suppressions(this.table);
    this.ledger = new LedgerRows(this.table, this.campaigns, clock);
    this.runs = new Runs(this.table, clock);
    this.customerData = new CustomerData(this.table);
    this.partners = new Partners(this.table);
    this.importJobs = new ImportJobRows(this.table, clock);
  }

  /** Capacity units consumed by this store since creation or the last resetCapacity(). */
  get capacity(): Readonly<Capacity> {
    return { ...this.table.capacity };
  }

  resetCapacity(): void {
    this.table.resetCapacity();
  }

  get tableName(): string {
    return this.table.name;
  }

  // ------------------------------------------------------------ due reads
  contractsEndingOn(day: string): Promise<IndexedContract[]> {
    return this.due.contractsEndingOn(day);
  }
  contractsStartingOn(day: string): Promise<IndexedContract[]> {
    return this.due.contractsStartingOn(day);
  }
  customersLastActiveOn(day: string): Promise<string[]> {
    return this.due.customersLastActiveOn(day);
  }
  customersBornOn(monthDay: string): Promise<string[]> {
    return this.due.customersBornOn(monthDay);
  }
  eventsOn(type: string, day: string): Promise<CustomerEvent[]> {
    return this.due.eventsOn(type, day);
  }
  getCustomers(ids: readonly string[]): Promise<Map<string, Customer>> {
    return this.due.getCustomers(ids);
  }

  // ------------------------------------------------------------ documents
  getSettings(): Promise<Settings> {
    return this.documents.getSettings();
  }
  putSettings(settings: Settings): Promise<void> {
    return this.documents.putSettings(settings);
  }
  putCustomers(customers: readonly Customer[]): Promise<void> {
    return this.documents.putCustomers(customers);
  }
  async putContracts(contracts: readonly Contract[]): Promise<void> {
    await this.documents.putContracts(contracts);
    // The customer's reference to each contract, so export and erasure find them without a Scan.
    await this.customerData.indexContracts(contracts);
  }
  async putEvents(events: readonly CustomerEvent[]): Promise<string[]> {
    const fresh = await this.documents.putEvents(events);
    const ids = new Set(fresh);
    await this.customerData.indexEvents(events.filter((e) => ids.has(e.id)));
    return fresh;
  }
  existingCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    return this.documents.existingCustomerIds(ids);
  }

  // ------------------------------------------------------------ campaigns
  putCampaign(campaign: Campaign): Promise<CampaignRecord> {
    return this.campaigns.putCampaign(campaign);
  }
  getCampaign(id: string): Promise<CampaignRecord | undefined> {
    return this.campaigns.getCampaign(id);
  }
  listCampaigns(): Promise<CampaignRecord[]> {
    return this.campaigns.listCampaigns();
  }
  getCampaignVersion(id: string, version: number): Promise<Campaign | undefined> {
    return this.campaigns.getCampaignVersion(id, version);
  }
  setPaused(id: string, paused: boolean): Promise<boolean> {
    return this.campaigns.setPaused(id, paused);
  }

  // ------------------------------------------------------------ suppression list
  addSuppression(entry: SuppressionEntry): Promise<void> {
    return this.suppressions.addSuppression(entry);
  }
  removeSuppression(address: string): Promise<boolean> {
    return this.suppressions.removeSuppression(address);
  }
  listSuppressions(): Promise<SuppressionEntry[]> {
    return this.suppressions.listSuppressions();
  }
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>> {
    return this.suppressions.suppressedAmong(addresses);
  }

  // ------------------------------------------------------------ ledger
  getDeliveries(keys: readonly TouchKey[]): Promise<Map<string, Delivery>> {
    return this.ledger.getDeliveries(keys);
  }
  countedDueDates(customerId: string, channel: Channel, fromDay: string, toDay: string): Promise<string[]> {
    return this.ledger.countedDueDates(customerId, channel, fromDay, toDay);
  }
  reserve(touch: PlannedTouch, runId: string, now: string): Promise<boolean> {
    return this.ledger.reserve(touch, runId, now);
  }
  settle(
    key: TouchKey,
    outcome: {
      status: 'sent' | 'failed' | 'deferred' | 'expired';
      providerMessageId?: string;
      error?: string;
    },
    now: string,
  ): Promise<void> {
    return this.ledger.settle(key, outcome, now);
  }
  recordSuppressed(touch: PlannedTouch, runId: string, now: string): Promise<void> {
    return this.ledger.recordSuppressed(touch, runId, now);
  }
  listDeliveries(filter: { campaignId?: string; customerId?: string }): Promise<Delivery[]> {
    return this.ledger.listDeliveries(filter);
  }
  getDelivery(key: TouchKey): Promise<Delivery | undefined> {
    return this.ledger.getDelivery(key);
  }
  recordExpired(touch: PlannedTouch, runId: string, now: string): Promise<boolean> {
    return this.ledger.recordExpired(touch, runId, now);
  }

  // ------------------------------------------------------------ runs
  putRunMeta(meta: RunMeta): Promise<void> {
    return this.runs.putRunMeta(meta);
  }
  getRunMeta(runId: string): Promise<RunMeta | undefined> {
    return this.runs.getRunMeta(runId);
  }
  putRunBatches(batches: readonly RunBatch[]): Promise<void> {
    return this.runs.putRunBatches(batches);
  }
  putRunSuppressed(runId: string, touches: readonly PlannedTouch[]): Promise<void> {
    return this.runs.putRunSuppressed(runId, touches);
  }
  getRunBatch(runId: string, batchId: string): Promise<RunBatch | undefined> {
    return this.runs.getRunBatch(runId, batchId);
  }
  putRunBatchResults(
    runId: string,
    batchId: string,
    results: NonNullable<RunBatch['results']>,
  ): Promise<void> {
    return this.runs.putRunBatchResults(runId, batchId, results);
  }
  getRunReport(
    runId: string,
  ): Promise<{ meta: RunMeta; batches: RunBatch[]; suppressed: PlannedTouch[] } | undefined> {
    return this.runs.getRunReport(runId);
  }
  markDatesCompleted(
    dates: readonly string[],
    run: { runId: string; scheduled: boolean; completedAt: string },
  ): Promise<void> {
    return this.runs.markDatesCompleted(dates, run);
  }
  completedDates(fromDay: string, toDay: string): Promise<Set<string>> {
    return this.runs.completedDates(fromDay, toDay);
  }
  firstScheduledDate(): Promise<string | undefined> {
    return this.runs.firstScheduledDate();
  }

  // ------------------------------------------------------------ partners and webhook receipts
  addPartner(partner: Partner): Promise<boolean> {
    return this.partners.addPartner(partner);
  }
  rotatePartnerSecret(id: string, next: PartnerSecret, rolloverMs: number): Promise<Partner | undefined> {
    return this.partners.rotatePartnerSecret(id, next, rolloverMs);
  }
  getPartner(id: string): Promise<Partner | undefined> {
    return this.partners.getPartner(id);
  }
  listPartners(): Promise<Partner[]> {
    return this.partners.listPartners();
  }
  hasWebhookReceipt(partnerId: string, webhookId: string): Promise<boolean> {
    return this.partners.hasWebhookReceipt(partnerId, webhookId);
  }
  recordWebhookReceipt(partnerId: string, webhookId: string, now: Date): Promise<boolean> {
    return this.partners.recordWebhookReceipt(partnerId, webhookId, now);
  }

  // ------------------------------------------------------------ one customer's data (ops API)
  getCustomer(id: string): Promise<Customer | undefined> {
    return this.customerData.getCustomer(id);
  }
  getContract(id: string): Promise<Contract | undefined> {
    return this.customerData.getContract(id);
  }
  customerRecords(customerId: string): Promise<{ contracts: Contract[]; events: CustomerEvent[] }> {
    return this.customerData.customerRecords(customerId);
  }
  pageDeliveries(
    filter: { campaignId?: string; customerId?: string },
    page: DeliveryPageRequest,
  ): Promise<DeliveryPage> {
    return this.customerData.pageDeliveries(filter, page);
  }
  eraseCustomer(
    customerId: string,
    anonymousId: string,
    pseudonym: (value: string) => string,
  ): Promise<ErasureReport | undefined> {
    return this.customerData.eraseCustomer(customerId, anonymousId, pseudonym);
  }

  // ------------------------------------------------------------ import jobs (presigned uploads)
  createImportJob(job: ImportJob): Promise<void> {
    return this.importJobs.createImportJob(job);
  }
  getImportJob(id: string): Promise<ImportJob | undefined> {
    return this.importJobs.getImportJob(id);
  }
  updateImportJob(id: string, from: readonly ImportJobStatus[], update: ImportJobUpdate): Promise<boolean> {
    return this.importJobs.updateImportJob(id, from, update);
  }
}
