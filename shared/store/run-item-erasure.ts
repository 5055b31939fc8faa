// The GDPR erase's reach into run items: a run's batches and suppressed lists copy each touch's
// address and anchor record (contract, event with its data) for the send step, and keep them for
// the run's 90-day TTL. The customer's references (`keys.runRef`, written with the items) name
// exactly the items to rewrite; each of the customer's touches there keeps only its non-personal
// planning facts, under the anonymous id and the occasion's pseudonym, as the ledger rows do, so a
// run's report keeps its counts. Other customers' touches are left as they are.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { ConcurrentUpdateError } from './errors.js';
import type { runRefItemSchema } from './items.js';
import { type Item, mapLimit, type Table } from './table.js';

/** What a planned touch keeps once its customer is erased: nothing that names or reaches the person. */
const KEPT_TOUCH_FIELDS = [
  'campaignId',
  'stepId',
  'channel',
  'tier',
  'locale',
  'dueDate',
  'sendDate',
  'sendAt',
  'windowEnd',
  'status',
  'reason',
  'template',
  'seq',
] as const;
/** What a batch result keeps: no provider message id, no provider error text (it may quote the address). */
const KEPT_RESULT_FIELDS = ['status', 'reason'] as const;
const KEPT_KEY_FIELDS = ['campaignId', 'stepId', 'channel'] as const;

const record = z.record(z.string(), z.unknown());
const runItemSchema = z.looseObject({
  touches: z.array(record),
  results: z.array(z.looseObject({ key: record })).optional(),
});

/** Rewrites of one item that lose to a concurrent writer (a batch's results landing) are retried. */
const ATTEMPTS = 5;
const PARALLEL_ITEMS = 4;

export interface RunErasure {
  customerId: string;
  anonymousId: string;
  /** The occasion's pseudonym (deterministic, so a rerun after a crash finds the same keys). */
  pseudonym: (occasion: string) => string;
}

const pick = (from: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(fields.filter((f) => from[f] !== undefined).map((f) => [f, from[f]]));

function anonymisedKey(key: Record<string, unknown>, e: RunErasure): Record<string, unknown> {
  return {
    ...pick(key, KEPT_KEY_FIELDS),
    customerId: e.anonymousId,
    occasion: e.pseudonym(String(key.occasion)),
  };
}

/** The item with the customer's touches and results anonymised; undefined when it holds none. */
export function anonymisedRunItem(
  item: Item,
  e: RunErasure,
): { item: Item; touches: number; hasResults: boolean } | undefined {
  const parsed = runItemSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const theirs = (r: Record<string, unknown>) => r.customerId === e.customerId;
  const touches = parsed.data.touches.filter(theirs).length;
  const results = parsed.data.results;
  if (touches === 0 && !results?.some((r) => theirs(r.key))) return undefined;
  return {
    touches,
    hasResults: results !== undefined,
    item: {
      ...item,
      touches: parsed.data.touches.map((t) =>
        theirs(t) ? { ...pick(t, KEPT_TOUCH_FIELDS), ...anonymisedKey(t, e) } : t,
      ),
      ...(results && {
        results: results.map((r) =>
          theirs(r.key) ? { key: anonymisedKey(r.key, e), ...pick(r, KEPT_RESULT_FIELDS) } : r,
        ),
      }),
    },
  };
}

async function anonymiseOne(
  table: Table,
  ref: z.infer<typeof runRefItemSchema>,
  e: RunErasure,
): Promise<number> {
  const key = { pk: ref.runPk, sk: ref.runSk };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const item = await table.get(key, { ConsistentRead: true });
    // Expired, or a suppressed chunk a re-planned run dropped: nothing left to erase.
    if (!item) return 0;
    const next = anonymisedRunItem(item, e);
    if (!next) return 0;
    try {
      await table.put(next.item, {
        // Unchanged since the read: a batch's results written meanwhile are not overwritten.
        ConditionExpression: next.hasResults
          ? 'attribute_exists(results)'
          : 'attribute_exists(pk) AND attribute_not_exists(results)',
      });
      return next.touches;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
  throw new ConcurrentUpdateError(`${key.pk}/${key.sk}`);
}

/** Anonymises the customer's touches in the referenced run items; returns how many touches. */
export async function anonymiseRunItems(
  table: Table,
  refs: readonly z.infer<typeof runRefItemSchema>[],
  e: RunErasure,
): Promise<number> {
  const counts = await mapLimit(refs, PARALLEL_ITEMS, (ref) => anonymiseOne(table, ref, e));
  return counts.reduce((a, b) => a + b, 0);
}
