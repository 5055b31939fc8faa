// The single-table design (docs/table-design.md explains the access patterns).
// These names are shared by the CDK construct (infra/constructs/store.ts) and the adapter;
// the local runtime never reads them: it creates tables from the synthesized template.

/** Day-index keys are spread over this many shards so a hot day (Jan 1, month ends) is not one partition. */
export const DAY_SHARDS = 8;

export const attr = {
  pk: 'pk',
  sk: 'sk',
  contractEndDay: 'contractEndDay',
  contractStartDay: 'contractStartDay',
  lastActivityDay: 'lastActivityDay',
  birthdayDay: 'birthdayDay',
  eventDay: 'eventDay',
  capKey: 'capKey',
  ledgerCampaign: 'ledgerCampaign',
  ledgerCampaignSk: 'ledgerCampaignSk',
  /** A customer profile's phone (E.164): inbound SMS find their sender by it. */
  phone: 'phoneKey',
  /** A customer profile's email, trimmed and lower-cased: the console's search finds it by it. */
  email: 'emailKey',
} as const;

export const index = {
  byContractEnd: 'byContractEnd',
  byContractStart: 'byContractStart',
  /** Profiles by last-activity day, carrying `doc` (PROFILE_INDEX_ATTRS): planning reads them here. */
  byLastActivityProfile: 'byLastActivityProfile',
  /** Profiles by birthday month-day, carrying `doc` (PROFILE_INDEX_ATTRS). */
  byBirthdayProfile: 'byBirthdayProfile',
  byEventDay: 'byEventDay',
  byCampaign: 'byCampaign',
  /** LSI: a customer's counted messages by channel and due day, for frequency caps. */
  byChannelDay: 'byChannelDay',
  /** Sparse GSI on customer profiles by phone: an inbound SMS finds its sender without a Scan. */
  byPhone: 'byPhone',
  /** Sparse GSI on customer profiles by normalized email: the console's customer search. */
  byEmail: 'byEmail',
} as const;

/** Attributes projected into the contract day indexes: all planning and templates need. */
export const CONTRACT_INDEX_ATTRS = ['customerId', 'product', 'startDate', 'endDate', 'status'] as const;
/**
 * The KEYS_ONLY customer day indexes the profile indexes replace (same keys, ids only, then a
 * BatchGet). A stack deployed before them migrates one GSI per update (docs/table-design.md,
 * "Migrating the customer day indexes"); until its profile index is ACTIVE, DueReads reads these.
 */
export const legacyIndex = {
  byLastActivity: 'byLastActivity',
  byBirthday: 'byBirthday',
} as const;

/**
 * Attributes projected into the customer day indexes: the profile document, which is all planning
 * reads of a due customer (DueReads.getCustomers reads `doc` alone). A Query bills the bytes of the
 * items it returns, rounded up to 4 KB once per page, where a BatchGet bills every item rounded up
 * to 4 KB: a day's profiles cost their size, not 4 KB each (bench/RESULTS.md, "selection").
 * Not `activity`, `rev` or `consentState`: planning needs none of them.
 */
export const PROFILE_INDEX_ATTRS = ['doc'] as const;
/** Attributes projected into the event day index. */
export const EVENT_INDEX_ATTRS = ['id', 'customerId', 'type', 'occurredAt', 'data'] as const;

/**
 * The day-index shard of an entity: FNV-1a (32 bit) of its id, mod DAY_SHARDS. Stable across
 * processes and versions, since items written today are read back by the same computation.
 */
export function shardOf(id: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(id)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % DAY_SHARDS;
}
