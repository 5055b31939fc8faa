// The results counters (docs/cost.md): one aggregate item per campaign × day × step × channel × tier
// × locale, `RESULTS#<campaignId>` / `D#<day>#<json [step, channel, tier, locale]>`, each counter a
// top-level number attribute `c:<name>` that writes ADD to. A report is one Query per campaign over
// `D#<from>` … `D#<to>~`: it reads days × steps × channels × tiers × locales items, never the ledger.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { CampaignStore } from '../ports/campaigns.js';
import {
  type AddOptions,
  type CounterIncrement,
  type CounterQuery,
  type CounterRow,
  dimensionKey,
  mergeIncrements,
  type ResultCounters,
} from '../ports/results.js';
import { parseItem } from './items.js';
import { chunk, type Item, type Key, mapLimit, type Table } from './table.js';

const PARALLEL_UPDATES = 8;
/** Counter rows per transaction (DynamoDB allows 100 items; one is the once-marker). */
const TRANSACTION_ROWS = 99;
/**
 * How long a once-marker is kept: far longer than any retry of the write it guards, and than a
 * message's feedback keeps coming (a late open or complaint is still counted once).
 */
const ONCE_MARKER_DAYS = 400;
const COUNT_PREFIX = 'c:';
const pk = (campaignId: string) => `RESULTS#${campaignId}`;

export const resultKeys = {
  row: (d: Omit<CounterIncrement, 'counts'>): Key => ({
    pk: pk(d.campaignId),
    sk: `D#${d.day}#${JSON.stringify([d.stepId, d.channel, d.tier, d.locale])}`,
  }),
  /** The marker of a once-applied add (chunk `i`); expires with the table's TTL. */
  once: (key: string, i: number): Key => ({ pk: `RESULTS-ONCE#${key}`, sk: `#${i}` }),
};

function updateOf(inc: CounterIncrement) {
  const names: Record<string, string> = {};
  const values: Record<string, string | number> = {};
  const adds: string[] = [];
  Object.entries(inc.counts).forEach(([name, n], i) => {
    names[`#c${i}`] = `${COUNT_PREFIX}${name}`;
    values[`:c${i}`] = n;
    adds.push(`#c${i} :c${i}`);
  });
  return {
    UpdateExpression: `ADD ${adds.join(', ')} SET campaignId = :campaign, #day = :day, stepId = :step, channel = :channel, tier = :tier, #locale = :locale`,
    ExpressionAttributeNames: { ...names, '#day': 'day', '#locale': 'locale' },
    ExpressionAttributeValues: {
      ...values,
      ':campaign': inc.campaignId,
      ':day': inc.day,
      ':step': inc.stepId,
      ':channel': inc.channel,
      ':tier': inc.tier,
      ':locale': inc.locale,
    },
  };
}

/** The dimensions of a counter row (and of an exposure record, shared/store/conversions.ts). */
export const counterDimsSchema = z.object({
  campaignId: z.string(),
  day: z.string(),
  stepId: z.string(),
  channel: z.string(),
  tier: z.string(),
  locale: z.string(),
});

function countsOf(item: Item): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(item)) {
    if (k.startsWith(COUNT_PREFIX) && typeof v === 'number') counts[k.slice(COUNT_PREFIX.length)] = v;
  }
  return counts;
}

export class ResultRows implements ResultCounters {
  constructor(
    private readonly table: Table,
    private readonly campaigns: Pick<CampaignStore, 'listCampaigns'>,
  ) {}

  async add(increments: readonly CounterIncrement[], opts: AddOptions = {}): Promise<void> {
    const merged = mergeIncrements(increments).sort((a, b) =>
      dimensionKey(a) < dimensionKey(b) ? -1 : dimensionKey(a) > dimensionKey(b) ? 1 : 0,
    );
    const { once } = opts;
    if (once === undefined) {
      await mapLimit(merged, PARALLEL_UPDATES, (inc) =>
        this.table.update(resultKeys.row(inc), updateOf(inc)),
      );
      return;
    }
    // Each chunk goes with its own marker in one transaction: a retry skips the chunks already applied.
    const expiresAt = Math.floor(Date.now() / 1000) + ONCE_MARKER_DAYS * 86_400;
    const chunks = chunk(merged, TRANSACTION_ROWS).map((rows, i) => ({ rows, i }));
    await mapLimit(chunks, PARALLEL_UPDATES, async ({ rows, i }) => {
      try {
        await this.table.transactWrite([
          {
            Put: {
              TableName: this.table.name,
              Item: { ...resultKeys.once(once, i), expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...rows.map((inc) => ({
            Update: { TableName: this.table.name, Key: resultKeys.row(inc), ...updateOf(inc) },
          })),
        ]);
      } catch (err) {
        if (
          err instanceof TransactionCanceledException &&
          err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        )
          return;
        throw err;
      }
    });
  }

  async read(q: CounterQuery): Promise<CounterRow[]> {
    const ids =
      q.campaignId !== undefined
        ? [q.campaignId]
        : (await this.campaigns.listCampaigns()).map((r) => r.campaign.id).sort();
    const perCampaign = await mapLimit(ids, PARALLEL_UPDATES, async (id) => {
      const items = await this.table.query({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk(id), ':from': `D#${q.from}`, ':to': `D#${q.to}~` },
        ConsistentRead: true,
      });
      return items.map(
        (item): CounterRow => ({ ...parseItem(counterDimsSchema, item), counts: countsOf(item) }),
      );
    });
    return perCampaign.flat();
  }
}
