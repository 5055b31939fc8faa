// What each function may do to the one table: the DynamoDB actions on the table itself and the
// indexes it may Query, by function role. The one place a function's table access is decided
// (HouseFunction.bindTable reads it); docs/infra.md ("Least privilege") explains each line.
//
// Read off the adapters (shared/store/*) each handler builds and the port methods its use cases
// call. IAM authorizes a TransactWriteItems item by its own action (Put → PutItem, Update →
// UpdateItem, Delete → DeleteItem, ConditionCheck → ConditionCheckItem), and a BatchWriteItem by
// BatchWriteItem alone, for its puts and its deletes alike. Scan, DescribeTable, PartiQL and the
// stream actions are not in TableAction: no profile can grant them.
import type { FunctionRole } from '../../shared/config/env.js';
import { index, legacyIndex } from '../../shared/store/keys.js';

export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

export type IndexName = (typeof index)[keyof typeof index] | (typeof legacyIndex)[keyof typeof legacyIndex];

export interface TableAccess {
  /** Actions on the table's own ARN. */
  readonly table: readonly TableAction[];
  /** Indexes the function queries: `dynamodb:Query` on each index's ARN, nothing else there. */
  readonly indexes: readonly IndexName[];
}

/** The day indexes a plan reads (DueReads) and the cap index (LedgerRows.countedDueDates). */
const PLANNING_INDEXES: readonly IndexName[] = [
  index.byContractEnd,
  index.byContractStart,
  index.byLastActivityProfile,
  index.byBirthdayProfile,
  // Read only while a migrating stack's profile index is not ACTIVE yet (DueReads' fallback);
  // absent from a stack built after them, so the grant matches nothing there.
  legacyIndex.byLastActivity,
  legacyIndex.byBirthday,
  index.byEventDay,
  index.byChannelDay,
];

export const TABLE_ACCESS: Readonly<Record<FunctionRole, TableAccess>> = {
  // Runs: firstScheduledDate (Get), completedDates (Query), putRunMeta (Put).
  'select-run': { table: ['GetItem', 'Query', 'PutItem'], indexes: [] },
  // Settings and run meta (Get); due customers, ledger rows, suppressions (BatchGet); campaigns
  // and stale suppressed chunks (Query); suppression records and run meta (Put); batches and the
  // suppressed list, whose stale chunks it batch-deletes (BatchWrite); attribution's exposure units
  // (conditional Put) and the results counters they add to (Update).
  'plan-run': {
    table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    indexes: PLANNING_INDEXES,
  },
  // Batch, campaign and held ledger row (Get); profiles (BatchGet); reserve, suppressed and
  // expired rows (conditional Put); settle and the batch's results (conditional Update); the
  // channels' shared send schedule (conditional Update, Get when it is booked up); the send-time
  // recheck's contracts, last-activity days and suppressions (BatchGet), the reputation guard's
  // state (Get) and each send's hourly count (Update); the batch's results counters with their
  // once-marker (transactional Put and Update, docs/cost.md).
  'send-batch': { table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], indexes: [] },
  // getRunReport (Get meta, Query its items); putRunMeta and the first scheduled date (Put);
  // markDatesCompleted (BatchWrite); settings and campaigns (Get); the results counters with their
  // once-marker (transactional Put and Update, docs/cost.md).
  'summarize-run': { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'], indexes: [] },
  // Documents.putEvents: customer check and zones (BatchGet), the event and the activity member
  // (conditional Put), its reference (BatchWrite), settings and activity (Get, conditional Update);
  // attribution: campaigns and the customer's own touches (Query), units and conversions (Get,
  // conditional Put), the results counters (Update).
  'ingest-event': {
    table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    indexes: [],
  },
  // applyDeliveryFeedback: the message id lookup and the ledger row (Get), the row's timeline
  // (conditional Update), the suppression list (Get, Put), consent (Get, history Put, conditional
  // Update), the reputation guard's hourly buckets (Update, Query of its own partition) and state.
  'delivery-events': { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], indexes: [] },
  // The import job (Get, conditional Update) and Documents' customer, contract and event writes,
  // as ingest-event's plus putCustomers/putContracts (BatchGet, BatchWrite), attribution as ingest-event's.
  'import-upload': {
    table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    indexes: [],
  },
  // receiveSms: the sender's customers (Query on byPhone, then Get); consent (Get, conditional
  // Update, history Put); sms.reply through Documents.putEvents (as ingest-event's); the inbound
  // message's receipt (conditional Put); attribution of the reply as ingest-event's (Query).
  'inbound-sms': {
    table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'],
    indexes: [index.byPhone],
  },
  // Every /v1 use case and the webhooks: all of the above, plus DeleteItem (DELETE
  // /v1/suppressions), the ledger's byCampaign index (deliveries, show, export), byPhone
  // (POST /v1/sms/replies, the inbound SMS path run from the CLI; customer search) and byEmail
  // (GET /v1/customers?q=, the console's search). Erasure deletes
  // through BatchWriteItem. Partners live in Secrets Manager in the cloud; webhook receipts here.
  api: {
    table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    indexes: [...PLANNING_INDEXES, index.byCampaign, index.byPhone, index.byEmail],
  },
};
