// The DynamoDB adapters of the store ports, one per concern, over one table
// (infra/constructs/store.ts). docs/table-design.md describes the items and access patterns.
// A use case takes only the ports it uses: `Pick<Stores, 'ledger' | 'runs'>`.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditLog } from '../ports/audit.js';
import type { CampaignStore } from '../ports/campaigns.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { ConsentStore } from '../ports/consent.js';
import type { ConversionStore } from '../ports/conversions.js';
import type { CustomerDataStore } from '../ports/customer-data.js';
import type { DocumentStore } from '../ports/documents.js';
import type { DueReader } from '../ports/due.js';
import type { ImportJobs } from '../ports/import-jobs.js';
import type { Ledger } from '../ports/ledger.js';
import type { PartnerActivityStore } from '../ports/partner-activity.js';
import type { PartnerStore, WebhookReceipts } from '../ports/partners.js';
import type { ReputationStore } from '../ports/reputation.js';
import type { ResultCounters } from '../ports/results.js';
import type { RunStore } from '../ports/runs.js';
import type { SettingsStore } from '../ports/settings.js';
import type { SuppressionStore } from '../ports/suppression.js';
import { AuditRows } from './audit.js';
import { Campaigns } from './campaigns.js';
import { ConsentRows } from './consent.js';
import { ConversionRows } from './conversions.js';
import { CustomerData } from './customer-data.js';
import { Documents } from './documents.js';
import { DueReads } from './due-reader.js';
import { ImportJobRows } from './import-jobs.js';
import { LedgerRows } from './ledger.js';
import { PartnerActivityRows } from './partner-activity.js';
import { Partners } from './partners.js';
import { ReputationRows } from './reputation.js';
import { ResultRows } from './results.js';
import { Runs } from './runs.js';
import { Suppressions } from './suppression.js';
import { type BulkWrites, type Capacity, Table } from './table.js';

/** Every store port, by concern. */
export interface Stores {
  due: DueReader;
  settings: SettingsStore;
  documents: DocumentStore;
  campaigns: CampaignStore;
  suppression: SuppressionStore;
  ledger: Ledger;
  runs: RunStore;
  customers: CustomerDataStore;
  partners: PartnerStore;
  receipts: WebhookReceipts;
  /** Each partner's recent events and hourly refusal counts (docs/webhooks.md, "Partner activity"). */
  partnerActivity: PartnerActivityStore;
  importJobs: ImportJobs;
  /** Sender reputation counters and each channel's sending state (docs/send-time-checks.md). */
  reputation: ReputationStore;
  /** Consent changes and history (docs/consent.md). */
  consent: ConsentStore;
  /** Results counters per campaign, day, step, channel, tier and locale (docs/cost.md). */
  results: ResultCounters;
  /** Attribution's exposure and conversion records, per customer (docs/attribution.md). */
  conversions: ConversionStore;
  /** Who changed what, and who was refused (docs/console-auth.md). */
  audit: AuditLog;
}

export interface DynamoStoresOptions {
  /** Best created with `removeUndefinedValues: true` (the store also strips undefined itself). */
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Stamps updatedAt and run expiry; defaults to the system clock. */
  clock?: Clock;
  /** `transactions` for the disk-backed DynamoDB Local only (table.ts); default `batch`. */
  bulkWrites?: BulkWrites;
}

/** The table behind the ports: its name and the capacity units they consumed (tests and benchmarks assert it). */
export interface TableMeter {
  readonly tableName: string;
  readonly capacity: Readonly<Capacity>;
  resetCapacity(): void;
}

export type DynamoStores = Stores & TableMeter;

export function tableMeter(table: Table): TableMeter {
  return {
    tableName: table.name,
    get capacity() {
      return { ...table.capacity };
    },
    resetCapacity: () => table.resetCapacity(),
  };
}

/** All the ports over one table. A handler that needs only some builds those parts itself. */
export function dynamoStores(opts: DynamoStoresOptions): DynamoStores {
  const clock = opts.clock ?? systemClock;
  const table = new Table(opts.client, opts.tableName, opts.bulkWrites);
  const campaigns = new Campaigns(table, clock);
  const customers = new CustomerData(table);
  const documents = new Documents(table, customers);
  const partners = new Partners(table);
  return {
    ...tableMeter(table),
    get capacity() {
      return { ...table.capacity };
    },
    due: new DueReads(table),
    settings: documents,
    documents,
    campaigns,
    suppression: new Suppressions(table),
    ledger: new LedgerRows(table, campaigns, clock),
    runs: new Runs(table, clock),
    customers,
    partners,
    receipts: partners,
    partnerActivity: new PartnerActivityRows(table),
    importJobs: new ImportJobRows(table, clock),
    reputation: new ReputationRows(table),
    consent: new ConsentRows(table),
    results: new ResultRows(table, campaigns),
    conversions: new ConversionRows(table),
    audit: new AuditRows(table),
  };
}
