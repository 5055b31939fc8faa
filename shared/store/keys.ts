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
} as const;

export const index = {
  byContractEnd: 'byContractEnd',
  byContractStart: 'byContractStart',
  byLastActivity: 'byLastActivity',
  byBirthday: 'byBirthday',
  byEventDay: 'byEventDay',
  byCampaign: 'byCampaign',
  /** LSI: a customer's counted messages by channel and due day, for frequency caps. */
  byChannelDay: 'byChannelDay',
  /** Sparse GSI on customer profiles by phone: an inbound SMS finds its sender without a Scan. */
  byPhone: 'byPhone',
} as const;

/** Attributes projected into the contract day indexes: all planning and templates need. */
export const CONTRACT_INDEX_ATTRS = ['customerId', 'product', 'startDate', 'endDate', 'status'] as const;
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
