// The partner log (docs/webhooks.md, "Partner activity"), one partition per partner:
//   PARTNERLOG#<id> / E#<receivedAt>#<eventId>   an accepted event: eventId, type, receivedAt
//   PARTNERLOG#<id> / R#<YYYY-MM-DDTHH>#<reason> an hour's refusals of one reason: count (ADD)
// Both expire after PARTNER_LOG_TTL_DAYS (TTL). Neither holds personal data: the customer of an
// event is read from the event itself, which erasure deletes.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  type PartnerActivityStore,
  type PartnerEventEntry,
  REFUSAL_REASONS,
  type RecentPartnerEvent,
  type RefusalCount,
  type RefusalReason,
} from '../ports/partner-activity.js';
import { keys, parseItem } from './items.js';
import type { Key, Table } from './table.js';

/** A week of refusals is shown; a day more so the oldest hour is whole when it is read. */
export const PARTNER_LOG_TTL_DAYS = 8;
const TTL_SECONDS = PARTNER_LOG_TTL_DAYS * 24 * 60 * 60;

export const partnerLogKeys = {
  pk: (partnerId: string) => `PARTNERLOG#${partnerId}`,
  event: (partnerId: string, e: PartnerEventEntry): Key => ({
    pk: partnerLogKeys.pk(partnerId),
    sk: `E#${e.receivedAt}#${e.eventId}`,
  }),
  refusal: (partnerId: string, hour: string, reason: RefusalReason): Key => ({
    pk: partnerLogKeys.pk(partnerId),
    sk: `R#${hour}#${reason}`,
  }),
};

/** The UTC hour of an instant, `YYYY-MM-DDTHH`. */
export const utcHour = (at: Date): string => at.toISOString().slice(0, 13);

const eventItem = z.object({ eventId: z.string(), type: z.string(), receivedAt: z.string() });
const storedEvent = z.object({ customerId: z.string() });
const refusalItem = z.object({ hour: z.string(), reason: z.enum(REFUSAL_REASONS), count: z.number().int() });

export class PartnerActivityRows implements PartnerActivityStore {
  constructor(private readonly table: Table) {}

  async recordPartnerEvent(partnerId: string, entry: PartnerEventEntry): Promise<void> {
    await this.table.put({
      ...partnerLogKeys.event(partnerId, entry),
      ...entry,
      expiresAt: Math.floor(Date.parse(entry.receivedAt) / 1000) + TTL_SECONDS,
    });
  }

  async countRefusal(partnerId: string, reason: RefusalReason, at: Date): Promise<void> {
    const hour = utcHour(at);
    await this.table.update(partnerLogKeys.refusal(partnerId, hour, reason), {
      UpdateExpression: 'ADD #count :one SET #hour = :hour, #reason = :reason, expiresAt = :exp',
      ExpressionAttributeNames: { '#count': 'count', '#hour': 'hour', '#reason': 'reason' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':hour': hour,
        ':reason': reason,
        ':exp': Math.floor(Date.parse(`${hour}:00:00Z`) / 1000) + TTL_SECONDS,
      },
    });
  }

  async recentPartnerEvents(partnerId: string, limit: number): Promise<RecentPartnerEvent[]> {
    // One page, newest first: Table.query reads every page, so this one calls the client itself
    // (its capacity is not in the table's meter, as CustomerData.queryPage).
    const out = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': partnerLogKeys.pk(partnerId), ':e': 'E#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const entries = (out.Items ?? []).map((i) => parseItem(eventItem, i));
    // The customer is read from the event (EVENT#<id>), which erasure deletes with the customer.
    const stored = await this.table.batchGet(
      entries.map((e) => keys.event(e.eventId)),
      { projection: 'pk, customerId' },
    );
    const customerOf = new Map(stored.map((i) => [String(i.pk), parseItem(storedEvent, i).customerId]));
    return entries.map((e) => {
      const customerId = customerOf.get(keys.event(e.eventId).pk);
      return customerId !== undefined ? { ...e, customerId } : e;
    });
  }

  async refusalCounts(partnerId: string, fromHour: string): Promise<RefusalCount[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': partnerLogKeys.pk(partnerId),
        ':from': `R#${fromHour}`,
        ':to': 'R#~',
      },
    });
    return items.map((i) => parseItem(refusalItem, i));
  }
}
