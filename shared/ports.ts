// One port per external system. Use cases depend on these; adapters live beside them
// (shared/store for DynamoDB, shared/channels for SES and End User Messaging SMS).
import type {
  Campaign,
  Channel,
  Contract,
  Customer,
  CustomerEvent,
  Settings,
  SuppressionReason,
} from './domain/documents.js';
import type { CampaignRecord, Delivery, DeliveryStatus, PlannedTouch, TouchKey } from './domain/touch.js';

// ---------------------------------------------------------------- store

/** A contract as the day indexes return it (the projected attributes, enough to plan and render). */
export type IndexedContract = Pick<
  Contract,
  'id' | 'customerId' | 'product' | 'startDate' | 'endDate' | 'status'
>;

export interface DueReader {
  /** Active contracts whose endDate is `day` (renewed/cancelled ones are not in the index). */
  contractsEndingOn(day: string): Promise<IndexedContract[]>;
  /** Active contracts whose startDate is `day`. */
  contractsStartingOn(day: string): Promise<IndexedContract[]>;
  /** Customer ids whose last activity (customer's local date, activity event types applied) is `day`. */
  customersLastActiveOn(day: string): Promise<string[]>;
  /** Customer ids whose birthday month-day is `monthDay` (`MM-DD`; `02-29` is its own key). */
  customersBornOn(monthDay: string): Promise<string[]>;
  /** Events of `type` whose occurredAt falls on `day` in the customer's zone. */
  eventsOn(type: string, day: string): Promise<CustomerEvent[]>;
  /** Customers by id; missing ids are absent from the map. */
  getCustomers(ids: readonly string[]): Promise<Map<string, Customer>>;
}

export interface DocumentStore {
  getSettings(): Promise<Settings>;
  putSettings(settings: Settings): Promise<void>;
  /** Upsert by id, replacing whole documents. Callers validate first; this writes everything given. */
  putCustomers(customers: readonly Customer[]): Promise<void>;
  putContracts(contracts: readonly Contract[]): Promise<void>;
  /** Insert-if-absent by event id (the idempotency key). Returns the ids that were new. */
  putEvents(events: readonly CustomerEvent[]): Promise<string[]>;
  /** Which of these customer ids exist. */
  existingCustomerIds(ids: readonly string[]): Promise<Set<string>>;
}

export interface CampaignStore {
  /** Stores a new immutable version and makes it current; keeps the paused flag. */
  putCampaign(campaign: Campaign): Promise<CampaignRecord>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;
  getCampaignVersion(id: string, version: number): Promise<Campaign | undefined>;
  /** Returns false when no such campaign exists. */
  setPaused(id: string, paused: boolean): Promise<boolean>;
}

export interface SuppressionEntry {
  address: string;
  reason: SuppressionReason;
  addedAt: string;
  source: 'manual' | 'bounce' | 'complaint' | 'unsubscribe';
}

export interface SuppressionStore {
  addSuppression(entry: SuppressionEntry): Promise<void>;
  /** Returns false when the address was not on the list. */
  removeSuppression(address: string): Promise<boolean>;
  listSuppressions(): Promise<SuppressionEntry[]>;
  /** Which of these normalized addresses are suppressed. */
  suppressedAmong(addresses: readonly string[]): Promise<Set<string>>;
}

export interface Ledger {
  /** Ledger rows for these keys (by touchKeyString). */
  getDeliveries(keys: readonly TouchKey[]): Promise<Map<string, Delivery>>;
  /**
   * Due dates (YYYY-MM-DD, one entry per message) of the customer's messages on `channel` that count
   * for frequency caps (sent, reserved, unknown), with dueDate in [fromDay, toDay].
   */
  countedDueDates(customerId: string, channel: Channel, fromDay: string, toDay: string): Promise<string[]>;
  /**
   * The conditional write: claims the key for this run unless the ledger already holds it as
   * sent/reserved/unknown. Returns false when another run (or an earlier one) holds it.
   */
  reserve(touch: PlannedTouch, runId: string, now: string): Promise<boolean>;
  /** Marks a reserved touch with its outcome. */
  settle(
    key: TouchKey,
    outcome: {
      status: Extract<DeliveryStatus, 'sent' | 'failed' | 'deferred' | 'expired'>;
      providerMessageId?: string;
      error?: string;
    },
    now: string,
  ): Promise<void>;
  /** Records a suppressed touch, unless the key is already held (never overwrites a send). */
  recordSuppressed(touch: PlannedTouch, runId: string, now: string): Promise<void>;
  /**
   * The ledger, with `reserved` rows older than RESERVATION_TIMEOUT_MS shown as `unknown`: the
   * run that reserved them died before settling (docs/exactly-once.md).
   */
  listDeliveries(filter: { campaignId?: string; customerId?: string }): Promise<Delivery[]>;
  /** One ledger row, strongly consistent: what the send path reads after a refused reserve. */
  getDelivery(key: TouchKey): Promise<Delivery | undefined>;
  /**
   * Records a touch whose send window closed before it could be sent. `expired` does not hold the
   * key, so a later run may still send it. Returns false (and writes nothing) when the key is held.
   */
  recordExpired(touch: PlannedTouch, runId: string, now: string): Promise<boolean>;
}

/** A `reserved` row older than this was left by a send that died (the batch's retries are long over). */
export const RESERVATION_TIMEOUT_MS = 15 * 60_000;

/** A run's plan, kept in the store so the state machine passes only references between states. */
export interface RunBatch {
  runId: string;
  batchId: string;
  sendAt: string;
  touches: PlannedTouch[];
  results?: {
    key: TouchKey;
    status: DeliveryStatus;
    providerMessageId?: string;
    error?: string;
    reason?: string;
  }[];
}

export interface RunMeta {
  runId: string;
  date: string;
  campaignId?: string;
  startedAt: string;
  status: 'planning' | 'sending' | 'completed' | 'failed';
  summary?: RunSummary;
  /** Started by the schedule (not `run --date`, not the API). */
  scheduled?: boolean;
  /** Earlier local dates this scheduled run catches up, re-timed into `date`'s window (docs/scheduling.md). */
  catchUp?: string[];
}

export interface RunSummary {
  planned: number;
  sent: number;
  suppressed: number;
  failed: number;
  /** Send window closed before the batch ran (not held: a later run may send them). */
  expired?: number;
  /** Held by a reservation that was never settled: listed for review, never resent. */
  unknown?: number;
  byReason: Record<string, number>;
}

export interface RunStore {
  putRunMeta(meta: RunMeta): Promise<void>;
  getRunMeta(runId: string): Promise<RunMeta | undefined>;
  putRunBatches(batches: readonly RunBatch[]): Promise<void>;
  /** Suppressed touches of the run (for the report), in planning order. */
  putRunSuppressed(runId: string, touches: readonly PlannedTouch[]): Promise<void>;
  getRunBatch(runId: string, batchId: string): Promise<RunBatch | undefined>;
  putRunBatchResults(
    runId: string,
    batchId: string,
    results: NonNullable<RunBatch['results']>,
  ): Promise<void>;
  /** Everything the run planned, in planning order, with results where the batch has run. */
  getRunReport(
    runId: string,
  ): Promise<{ meta: RunMeta; batches: RunBatch[]; suppressed: PlannedTouch[] } | undefined>;
  /** Marks local dates as done by a completed all-campaign run; the first scheduled one is remembered for good. */
  markDatesCompleted(
    dates: readonly string[],
    run: { runId: string; scheduled: boolean; completedAt: string },
  ): Promise<void>;
  /** The dates in [fromDay, toDay] that a completed all-campaign run covered. */
  completedDates(fromDay: string, toDay: string): Promise<Set<string>>;
  /** The local date of the first scheduled run that ever completed (catch-up never reaches before it). */
  firstScheduledDate(): Promise<string | undefined>;
}

// ---------------------------------------------------------------- partners (webhooks)

/** One signing secret of a partner; a rotated-out secret carries the end of its rollover window. */
export interface PartnerSecret {
  /** `whsec_` + base64 of the key bytes (the Standard Webhooks format). */
  secret: string;
  createdAt: string;
  /** Absent while the secret is current; set when a rotation starts its rollover window. */
  expiresAt?: string;
}

export interface Partner {
  id: string;
  /** Newest first. */
  secrets: PartnerSecret[];
  createdAt: string;
}

/**
 * Partners and their webhook secrets. The table adapter keeps them locally; in the cloud the
 * secrets belong in Secrets Manager, and an adapter of this port can hold them there instead.
 */
export interface PartnerStore {
  /** Returns false (and changes nothing) when a partner with this id exists. */
  addPartner(partner: Partner): Promise<boolean>;
  /**
   * Makes `next` the current secret; the secrets current until now stay valid for `rolloverMs`
   * after `next.createdAt`, those already expired are dropped. Undefined when there is no such partner.
   */
  rotatePartnerSecret(id: string, next: PartnerSecret, rolloverMs: number): Promise<Partner | undefined>;
  getPartner(id: string): Promise<Partner | undefined>;
  listPartners(): Promise<Partner[]>;
}

/** Webhook ids already accepted, per partner: the replay guard (entries expire after a while). */
export interface WebhookReceipts {
  hasWebhookReceipt(partnerId: string, webhookId: string): Promise<boolean>;
  /** Records an accepted webhook; false when it was already recorded (a concurrent replay). */
  recordWebhookReceipt(partnerId: string, webhookId: string, now: Date): Promise<boolean>;
}

/** Where a ledger page stopped: the campaign it was reading (unfiltered or by campaign) and the last key. */
export interface DeliveryPosition {
  campaignId?: string;
  lastKey?: Record<string, string>;
}
export interface DeliveryPageRequest {
  after?: DeliveryPosition;
  limit: number;
}
export interface DeliveryPage {
  deliveries: Delivery[];
  /** Absent on the last page. */
  after?: DeliveryPosition;
}

/** What an erasure removed or anonymised. */
export interface ErasureReport {
  anonymousId: string;
  profile: boolean;
  ledgerRows: number;
  contracts: number;
  events: number;
}

/** One customer's data, for the ops API (export, erasure, single reads). */
export interface CustomerDataStore {
  getCustomer(id: string): Promise<Customer | undefined>;
  getContract(id: string): Promise<Contract | undefined>;
  /** Contracts and events that name the customer (stored since references were introduced). */
  customerRecords(customerId: string): Promise<{ contracts: Contract[]; events: CustomerEvent[] }>;
  /** Ledger rows in a stable order, one page at a time. */
  pageDeliveries(
    filter: { campaignId?: string; customerId?: string },
    page: DeliveryPageRequest,
  ): Promise<DeliveryPage>;
  /** Removes the customer's PII everywhere the store can reach it; undefined when nothing was stored. */
  eraseCustomer(
    customerId: string,
    anonymousId: string,
    pseudonym: (value: string) => string,
  ): Promise<ErasureReport | undefined>;
}

// ---------------------------------------------------------------- import jobs (presigned uploads)

export type ImportJobKind = 'customers' | 'contracts' | 'events';
export type ImportJobFormat = 'ndjson' | 'csv';
export type ImportJobStatus = 'pending' | 'validating' | 'writing' | 'succeeded' | 'failed';

/** A large import uploaded out of band (S3 in the cloud, the local API locally), then run by id. */
export interface ImportJob {
  id: string;
  kind: ImportJobKind;
  format: ImportJobFormat;
  status: ImportJobStatus;
  createdAt: string;
  updatedAt: string;
  /** When the upload URL stops working (ISO). */
  uploadExpiresAt: string;
  count?: number;
  written?: number;
  newEvents?: number;
  /** The first problems by line (at most 1000); errorCount counts them all. */
  errors?: { line: number; path: string; message: string }[];
  errorCount?: number;
  /** Why the job failed as a whole (unreadable object, changed during the import, crash). */
  message?: string;
}

export type ImportJobUpdate = Partial<
  Pick<ImportJob, 'status' | 'count' | 'written' | 'newEvents' | 'errors' | 'errorCount' | 'message'>
>;

export interface ImportJobs {
  createImportJob(job: ImportJob): Promise<void>;
  getImportJob(id: string): Promise<ImportJob | undefined>;
  /**
   * Moves a job from `from` to a new state; false when it is not in `from` (another delivery of the
   * same upload claimed it first, or it finished).
   */
  updateImportJob(id: string, from: readonly ImportJobStatus[], update: ImportJobUpdate): Promise<boolean>;
}

/** Where a client uploads an import file: an S3 presigned PUT in the cloud, the local API locally. */
export interface ImportUploads {
  /** A URL the client PUTs the file to, valid until `expiresAt`; `origin` is the API's own origin. */
  uploadUrl(input: {
    job: Pick<ImportJob, 'id' | 'kind' | 'format'>;
    expiresAt: Date;
    expiresInSeconds: number;
    origin: string;
  }): Promise<string>;
  /**
   * Present only when the API itself receives the PUT (locally, where there is no S3): checks the
   * URL's signature and expiry, stores the body and starts the import in the background.
   */
  receive?(input: {
    importId: string;
    expires: string | undefined;
    signature: string | undefined;
    body: ReadableStream<Uint8Array> | null;
  }): Promise<'accepted' | 'forbidden' | 'not-found' | 'already-uploaded'>;
}

export type Store = DueReader &
  CustomerDataStore &
  DocumentStore &
  CampaignStore &
  SuppressionStore &
  Ledger &
  RunStore &
  PartnerStore &
  WebhookReceipts &
  ImportJobs;

// ---------------------------------------------------------------- channels

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** For List-Unsubscribe headers. */
  unsubscribeUrl: string;
  tags: Record<string, string>;
}

export interface OutgoingSms {
  to: string;
  text: string;
  messageType: 'TRANSACTIONAL' | 'PROMOTIONAL';
  tags: Record<string, string>;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; retryable: boolean; error: string };

export interface EmailSender {
  send(message: OutgoingEmail): Promise<SendResult>;
}
export interface SmsSender {
  send(message: OutgoingSms): Promise<SendResult>;
}

// ---------------------------------------------------------------- events and clock

export interface DomainEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}
