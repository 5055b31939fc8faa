// The reputation counters (docs/send-time-checks.md): per channel, one aggregate item per UTC hour
// (`REPUTATION#<channel>` / `H#<YYYY-MM-DDTHH>`) that each outcome ADDs to, and one state item
// (`REPUTATION#<channel>` / `STATE`). The window's rates are one Query of at most 24 small items;
// buckets expire with the table's TTL (`expiresAt`) two days after their hour.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import {
  type DeliveryOutcome,
  type GuardedChannel,
  type OutcomeCounts,
  REPUTATION_WINDOW_HOURS,
  type SendingState,
} from '../domain/reputation.js';
import type { ReputationStore } from '../ports/reputation.js';
import { parseItem } from './items.js';
import type { Key, Table } from './table.js';

const pk = (channel: GuardedChannel) => `REPUTATION#${channel}`;
export const reputationKeys = {
  bucket: (channel: GuardedChannel, bucket: string): Key => ({ pk: pk(channel), sk: `H#${bucket}` }),
  state: (channel: GuardedChannel): Key => ({ pk: pk(channel), sk: 'STATE' }),
};

const COUNT_ATTR: Record<DeliveryOutcome, keyof OutcomeCounts> = {
  sent: 'sent',
  bounced: 'bounced',
  complained: 'complained',
};

const countsSchema = z.object({
  sent: z.number().int().nonnegative().default(0),
  bounced: z.number().int().nonnegative().default(0),
  complained: z.number().int().nonnegative().default(0),
});
const bucketSchema = countsSchema.extend({ sk: z.string().startsWith('H#') });
const stateSchema = z.object({
  paused: z.boolean(),
  reason: z.string().optional(),
  pausedAt: z.string().optional(),
  resumedAt: z.string().optional(),
  forgiven: z.record(z.string(), countsSchema).optional(),
});

export class ReputationRows implements ReputationStore {
  constructor(private readonly table: Table) {}

  async count(channel: GuardedChannel, bucket: string, outcome: DeliveryOutcome): Promise<void> {
    const hourEnd = Date.parse(`${bucket}:00:00Z`) / 1000 + 3600;
    await this.table.update(reputationKeys.bucket(channel, bucket), {
      UpdateExpression: 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :exp)',
      ExpressionAttributeNames: { '#n': COUNT_ATTR[outcome] },
      ExpressionAttributeValues: {
        ':one': 1,
        ':exp': Math.floor(hourEnd + 2 * REPUTATION_WINDOW_HOURS * 3600),
      },
    });
  }

  async counts(channel: GuardedChannel, buckets: readonly string[]): Promise<Map<string, OutcomeCounts>> {
    const out = new Map<string, OutcomeCounts>();
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    if (first === undefined || last === undefined) return out;
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk(channel), ':from': `H#${first}`, ':to': `H#${last}` },
      ConsistentRead: true,
    });
    const wanted = new Set(buckets);
    for (const item of items) {
      const { sk, ...counts } = parseItem(bucketSchema, item);
      const bucket = sk.slice(2);
      if (wanted.has(bucket)) out.set(bucket, counts);
    }
    return out;
  }

  async state(channel: GuardedChannel): Promise<SendingState> {
    const item = await this.table.get(reputationKeys.state(channel), { ConsistentRead: true });
    if (!item) return { channel, paused: false };
    return { channel, ...parseItem(stateSchema, item) };
  }

  async pause(channel: GuardedChannel, reason: string, at: string): Promise<boolean> {
    try {
      await this.table.update(reputationKeys.state(channel), {
        UpdateExpression: 'SET #p = :true, #r = :reason, #at = :at',
        ConditionExpression: 'attribute_not_exists(#p) OR #p = :false',
        ExpressionAttributeNames: { '#p': 'paused', '#r': 'reason', '#at': 'pausedAt' },
        ExpressionAttributeValues: { ':true': true, ':false': false, ':reason': reason, ':at': at },
      });
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async resume(
    channel: GuardedChannel,
    at: string,
    forgiven: Record<string, OutcomeCounts>,
  ): Promise<boolean> {
    try {
      await this.table.update(reputationKeys.state(channel), {
        UpdateExpression: 'SET #p = :false, #at = :at, #f = :forgiven',
        ConditionExpression: '#p = :true',
        ExpressionAttributeNames: { '#p': 'paused', '#at': 'resumedAt', '#f': 'forgiven' },
        ExpressionAttributeValues: { ':false': false, ':true': true, ':at': at, ':forgiven': forgiven },
      });
      return true;
    } catch (err) {
      // Not paused: nothing to resume, and nothing is forgiven.
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
