// Item keys and the small schemas that items read back are parsed with. Writers and readers share
// these so an item's layout is stated once (docs/table-design.md describes it).
import * as z from 'zod';
import { channel } from '../domain/channels.js';
import { CONSENT_SOURCES, type ConsentHistoryEntry } from '../domain/consent.js';
import { deliverySchema, deliveryStatus, touchKeySchema } from '../domain/delivery-schema.js';
import { contractStatus, suppressionReason } from '../domain/documents.js';
import { RECORDED_REASONS, type TouchKey } from '../domain/touch.js';
import { CorruptItemError } from './errors.js';
import type { Item, Key } from './table.js';

export const keys = {
  settings: (): Key => ({ pk: 'SETTINGS', sk: 'CURRENT' }),
  customer: (id: string): Key => ({ pk: `CUSTOMER#${id}`, sk: 'PROFILE' }),
  contract: (id: string): Key => ({ pk: `CONTRACT#${id}`, sk: 'CONTRACT' }),
  event: (id: string): Key => ({ pk: `EVENT#${id}`, sk: 'EVENT' }),
  activityMember: (shard: number, customerId: string): Key => ({ pk: `ACTIVITY#${shard}`, sk: customerId }),
  campaignPointer: (id: string): Key => ({ pk: 'CAMPAIGNS', sk: id }),
  campaignVersion: (id: string, version: number): Key => ({
    pk: `CAMPAIGN#${id}`,
    sk: `V#${String(version).padStart(10, '0')}`,
  }),
  suppression: (address: string): Key => ({ pk: 'SUPPRESSION', sk: address }),
  /** A provider message id → the touch it was sent as (delivery feedback finds its row by it). */
  messageLookup: (channel: string, messageId: string): Key => ({
    pk: `MSG#${channel}#${messageId}`,
    sk: 'MSG',
  }),
  touch: (k: TouchKey): Key => ({
    pk: `CUSTOMER#${k.customerId}`,
    sk: `TOUCH#${k.campaignId}#${k.stepId}#${k.channel}#${k.occasion}`,
  }),
  runMeta: (runId: string): Key => ({ pk: `RUN#${runId}`, sk: 'META' }),
  runBatch: (runId: string, batchId: string): Key => ({ pk: `RUN#${runId}`, sk: `BATCH#${batchId}` }),
  runSuppressed: (runId: string, n: number): Key => ({
    pk: `RUN#${runId}`,
    sk: `SUPPRESSED#${String(n).padStart(5, '0')}`,
  }),
  /** A customer's pointer to a run item that lists their touches: erase finds run items without a Scan. */
  runRef: (customerId: string, runItem: Key): Key => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `REF#${runItem.pk}#${runItem.sk}`,
  }),
};

/** Sort keys of run references start so: run item keys start with `RUN#`. */
export const RUN_REF_PREFIX = 'REF#RUN#';
/** The run item a `runRef` points at (kept as attributes, so the sort key is never parsed). */
export const runRefItemSchema = z.object({ runPk: z.string(), runSk: z.string() });

export const CUSTOMER_PREFIX = 'CUSTOMER#';
export const CONTRACT_PREFIX = 'CONTRACT#';

/** The id after a key prefix such as `CUSTOMER#`. */
export function idFrom(pk: unknown, prefix: string): string {
  if (typeof pk !== 'string' || !pk.startsWith(prefix))
    throw new CorruptItemError(String(pk), `expected ${prefix}<id>`);
  return pk.slice(prefix.length);
}

/** Parses an item with a schema, naming the item's key when it does not fit. */
export function parseItem<S extends z.ZodType>(schema: S, item: Item): z.output<S> {
  const result = schema.safeParse(item);
  if (!result.success) {
    throw new CorruptItemError(`${String(item.pk)}/${String(item.sk)}`, z.prettifyError(result.error));
  }
  return result.data;
}

export const activitySchema = z.record(z.string(), z.string());

/** Customer profile items; `doc` is parsed separately with the domain schema. */
export const customerItemSchema = z.object({
  activity: activitySchema.default({}),
  rev: z.number().default(0),
});

export const contractIndexItemSchema = z.object({
  pk: z.string(),
  customerId: z.string(),
  product: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  status: contractStatus,
});

export const eventItemSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export { deliverySchema as deliveryItemSchema, deliveryStatus, touchKeySchema };

export const plannedTouchSchema = touchKeySchema.extend({
  tier: z.string(),
  locale: z.string(),
  dueDate: z.string(),
  sendDate: z.string().optional(),
  sendAt: z.string(),
  windowEnd: z.string(),
  status: z.enum(['planned', 'suppressed']),
  reason: z.enum(RECORDED_REASONS).optional(),
  address: z.string().optional(),
  template: z.string(),
  seq: z.number().optional(),
  contract: contractIndexItemSchema.omit({ pk: true }).extend({ id: z.string() }).optional(),
  event: eventItemSchema.optional(),
});

export const campaignPointerSchema = z.object({
  version: z.number().int(),
  paused: z.boolean(),
  updatedAt: z.string(),
});

export const suppressionItemSchema = z.object({
  address: z.string(),
  reason: suppressionReason,
  addedAt: z.string(),
  source: z.enum(['manual', 'bounce', 'complaint', 'unsubscribe']),
});

export const runSummarySchema = z.object({
  planned: z.number(),
  sent: z.number(),
  suppressed: z.number(),
  failed: z.number(),
  byReason: z.record(z.string(), z.number()),
});

export const runMetaSchema = z.object({
  runId: z.string(),
  date: z.string(),
  campaignId: z.string().optional(),
  startedAt: z.string(),
  status: z.enum(['planning', 'sending', 'completed', 'failed']),
  summary: runSummarySchema.optional(),
});

export const runResultSchema = z.object({
  key: touchKeySchema,
  status: deliveryStatus,
  providerMessageId: z.string().optional(),
  error: z.string().optional(),
  reason: z.string().optional(),
});

export const runBatchSchema = z.object({
  runId: z.string(),
  batchId: z.string(),
  sendAt: z.string(),
  touches: z.array(plannedTouchSchema),
  opensUnits: z.array(z.number().int().nonnegative()).optional(),
  results: z.array(runResultSchema).optional(),
});

export const runSuppressedSchema = z.object({ touches: z.array(plannedTouchSchema) });

/** Consent history items in a customer's partition: `CONSENT#<at>#<change id>` (store/consent.ts). */
export const CONSENT_PREFIX = 'CONSENT#';

/** The profile's latest consent change per slot (domain/consent.ts, ConsentState). */
export const consentStateSchema = z.record(
  z.string(),
  z.object({ id: z.string(), value: z.boolean(), source: z.enum(CONSENT_SOURCES), at: z.string() }),
);

export const consentEntrySchema = z.object({
  at: z.string(),
  channel,
  topic: z.string().optional(),
  value: z.boolean(),
  source: z.enum(CONSENT_SOURCES),
  evidence: z.string().optional(),
});

/** The history item of one change: its time sorts the partition's history, its id makes it idempotent. */
export function consentHistoryItem(customerId: string, entry: ConsentHistoryEntry, id: string): Item {
  return { pk: keys.customer(customerId).pk, sk: `${CONSENT_PREFIX}${entry.at}#${id}`, ...entry };
}
