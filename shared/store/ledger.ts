// The delivery ledger: one row per touch key under the customer's partition. A key is "held"
// while its status is reserved, sent or unknown; every write that could take a key is one
// conditional PutItem, so two runs can never both hold it (DESIGN decision 2).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DeliveryEventEntry, deliveryStateOf } from '../domain/delivery-states.js';
import type { Channel } from '../domain/documents.js';
import {
  capDate,
  type Delivery,
  deliveryOf,
  type PlannedTouch,
  type TouchKey,
  touchKeyString,
} from '../domain/touch.js';
import type { CampaignStore } from '../ports/campaigns.js';
import { type Clock, systemClock } from '../ports/clock.js';
import {
  type AddDeliveryEventOutcome,
  type Ledger,
  leaseExpired,
  MAX_DELIVERY_EVENTS,
  MESSAGE_LOOKUP_DAYS,
  RELEASED_ERROR,
  type ReleaseOutcome,
  reviewed,
  type SettleOutcome,
  UNKNOWN_REASONS,
} from '../ports/ledger.js';
import { DeliveryNotFoundError } from './errors.js';
import { deliveryItemSchema, keys, parseItem, touchKeySchema } from './items.js';
import { attr, index } from './keys.js';
import type { Item, Key, Table } from './table.js';

/** Statuses a new reservation or suppression record may replace (the key is not held). */
const RELEASED = {
  ':suppressed': 'suppressed',
  ':failed': 'failed',
  ':expired': 'expired',
  ':deferred': 'deferred',
};
const NOT_HELD = 'attribute_not_exists(pk) OR #status IN (:suppressed, :failed, :expired, :deferred)';

function deliveryItem(
  touch: PlannedTouch,
  fields: Pick<Delivery, 'status' | 'runId' | 'updatedAt' | 'reason' | 'error' | 'leasedAt'>,
): Item {
  const d = deliveryOf(touch, fields);
  return {
    ...keys.touch(touch),
    ...d,
    // Only counted messages carry capKey, so the cap index holds nothing else (sparse LSI). A message
    // counts on the local day it goes out, not the day it was due (a caught-up touch is later).
    [attr.capKey]: d.status === 'reserved' ? `${d.channel}#${capDate(d)}` : undefined,
    [attr.ledgerCampaign]: d.campaignId,
    [attr.ledgerCampaignSk]: `${d.dueDate}#${d.customerId}#${d.stepId}#${d.channel}#${d.occasion}`,
  };
}

async function unlessHeld(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

export class LedgerRows implements Ledger {
  constructor(
    private readonly table: Table,
    private readonly campaigns: Pick<CampaignStore, 'listCampaigns'>,
    private readonly clock: Clock = systemClock,
  ) {}

  async getDelivery(key: TouchKey): Promise<Delivery | undefined> {
    const item = await this.table.get(keys.touch(key), { ConsistentRead: true });
    return item ? parseItem(deliveryItemSchema, item) : undefined;
  }

  /** One conditional write, like a suppression record: never replaces a held row. */
  recordExpired(touch: PlannedTouch, runId: string, now: string): Promise<boolean> {
    return unlessHeld(() =>
      this.table.put(
        deliveryItem(touch, {
          status: 'expired',
          runId,
          updatedAt: now,
          error: 'send window closed before the batch ran',
        }),
        {
          ConditionExpression: NOT_HELD,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: RELEASED,
        },
      ),
    );
  }

  /** A reservation whose lease ran out is reported as `unknown` (review, never resend). */
  private reviewed(d: Delivery): Delivery {
    return reviewed(d, this.clock.now());
  }

  async markUnknown(row: Delivery, holderGone: boolean, now: string): Promise<boolean> {
    if (row.status === 'unknown') return true;
    if (row.status !== 'reserved' || !(holderGone || leaseExpired(row, this.clock.now()))) return false;
    return unlessHeld(async () => {
      await this.table.update(keys.touch(row), {
        UpdateExpression: 'SET #status = :unknown, #reason = :reason, updatedAt = :now',
        // Still the very reservation the caller judged (a settle since then wins).
        ConditionExpression: '#status = :reserved AND runId = :runId AND updatedAt = :updatedAt',
        ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason' },
        ExpressionAttributeValues: {
          ':unknown': 'unknown',
          ':reason': UNKNOWN_REASONS.notConfirmed,
          ':now': now,
          ':reserved': 'reserved',
          ':runId': row.runId,
          ':updatedAt': row.updatedAt,
        },
      });
    });
  }

  async release(key: TouchKey, now: string): Promise<ReleaseOutcome> {
    // Read, judge, then write only if the row is still what was judged; a row that changed in
    // between is judged again (a settle of an in-flight send lands as `sent`, and is refused).
    for (;;) {
      const row = await this.getDelivery(key);
      if (!row) return { released: false, reason: 'not-found' };
      if (row.status === 'sent') return { released: false, reason: 'sent', delivery: row };
      if (row.status === 'reserved' && !leaseExpired(row, this.clock.now()))
        return { released: false, reason: 'in-flight', delivery: row };
      if (row.status !== 'reserved' && row.status !== 'unknown')
        return { released: false, reason: 'not-held', delivery: row };
      const done = await unlessHeld(async () => {
        await this.table.update(keys.touch(key), {
          // A released touch frees its frequency-cap slot, as a failed send does.
          UpdateExpression: 'SET #status = :failed, #error = :error, updatedAt = :now REMOVE #cap',
          ConditionExpression: '#status = :was AND updatedAt = :updatedAt',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#cap': attr.capKey },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':error': RELEASED_ERROR,
            ':now': now,
            ':was': row.status,
            ':updatedAt': row.updatedAt,
          },
        });
      });
      if (done)
        return {
          released: true,
          delivery: { ...row, status: 'failed', error: RELEASED_ERROR, updatedAt: now },
        };
    }
  }

  async getDeliveries(touchKeys: readonly TouchKey[]): Promise<Map<string, Delivery>> {
    const rows = await this.rows(touchKeys.map(keys.touch));
    return new Map(rows.map((d) => [touchKeyString(d), d]));
  }

  async countedDueDates(
    customerId: string,
    channel: Channel,
    fromDay: string,
    toDay: string,
  ): Promise<string[]> {
    const items = await this.table.query({
      IndexName: index.byChannelDay,
      KeyConditionExpression: 'pk = :pk AND #cap BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#cap': attr.capKey },
      ExpressionAttributeValues: {
        ':pk': keys.customer(customerId).pk,
        ':from': `${channel}#${fromDay}`,
        ':to': `${channel}#${toDay}`,
      },
    });
    return items.map((i) => String(i[attr.capKey]).slice(channel.length + 1));
  }

  reserve(touch: PlannedTouch, runId: string, now: string): Promise<boolean> {
    return unlessHeld(() =>
      this.table.put(
        deliveryItem(touch, {
          status: 'reserved',
          runId,
          updatedAt: now,
          leasedAt: this.clock.now().toISOString(),
        }),
        {
          ConditionExpression: NOT_HELD,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: RELEASED,
        },
      ),
    );
  }

  async settle(key: TouchKey, outcome: SettleOutcome, now: string): Promise<void> {
    const set = ['#status = :status', 'updatedAt = :now'];
    const values: Record<string, unknown> = { ':status': outcome.status, ':now': now };
    if (outcome.providerMessageId !== undefined) {
      set.push('providerMessageId = :pid');
      values[':pid'] = outcome.providerMessageId;
    }
    if (outcome.status === 'sent') {
      // An event that outran the settle may have set it already.
      set.push('delivery = if_not_exists(delivery, :sentState)');
      values[':sentState'] = 'sent';
    }
    if (outcome.error !== undefined) {
      set.push('#error = :error');
      values[':error'] = outcome.error;
    }
    // A sent message keeps counting for caps; a failed/expired/deferred one frees its slot.
    const remove = outcome.status === 'sent' ? '' : ' REMOVE #cap';
    const held = await unlessHeld(async () => {
      await this.table.update(keys.touch(key), {
        UpdateExpression: `SET ${set.join(', ')}${remove}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...(outcome.error !== undefined && { '#error': 'error' }),
          ...(remove && { '#cap': attr.capKey }),
        },
        ExpressionAttributeValues: values,
      });
    });
    if (!held) throw new DeliveryNotFoundError(touchKeyString(key));
    if (outcome.providerMessageId !== undefined) await this.writeLookup(key, outcome.providerMessageId);
  }

  /** After the row: a lookup without its row would point at nothing. Idempotent (same content). */
  private async writeLookup(key: TouchKey, messageId: string): Promise<void> {
    const expiresAt = Math.floor(this.clock.now().getTime() / 1000) + MESSAGE_LOOKUP_DAYS * 86_400;
    await this.table.put({
      ...keys.messageLookup(key.channel, messageId),
      campaignId: key.campaignId,
      stepId: key.stepId,
      customerId: key.customerId,
      channel: key.channel,
      occasion: key.occasion,
      expiresAt,
    });
  }

  async findByMessageId(channel: Channel, messageId: string): Promise<TouchKey | undefined> {
    const item = await this.table.get(keys.messageLookup(channel, messageId));
    return item ? parseItem(touchKeySchema, item) : undefined;
  }

  async addDeliveryEvent(key: TouchKey, event: DeliveryEventEntry): Promise<AddDeliveryEventOutcome> {
    // Read, append, write only if the timeline is still what was read (its length): two events of
    // one message applied at once both land, each once.
    for (;;) {
      const row = await this.getDelivery(key);
      if (!row) return 'no-row';
      const events = row.deliveryEvents ?? [];
      if (events.some((e) => e.id === event.id)) return 'duplicate';
      if (events.length >= MAX_DELIVERY_EVENTS) return 'full';
      const next = [...events, event];
      const state = deliveryStateOf(next, row.status === 'sent' ? 'sent' : undefined);
      const written = await unlessHeld(async () => {
        await this.table.update(keys.touch(key), {
          UpdateExpression: `SET deliveryEvents = :events${state ? ', delivery = :state' : ''}`,
          ConditionExpression:
            events.length === 0
              ? 'attribute_exists(pk) AND (attribute_not_exists(deliveryEvents) OR size(deliveryEvents) = :zero)'
              : 'size(deliveryEvents) = :n',
          ExpressionAttributeValues: {
            ':events': next,
            ...(state && { ':state': state }),
            ...(events.length === 0 ? { ':zero': 0 } : { ':n': events.length }),
          },
        });
      });
      if (written) return 'applied';
    }
  }

  async recordSuppressed(touch: PlannedTouch, runId: string, now: string): Promise<void> {
    await unlessHeld(() =>
      this.table.put(
        deliveryItem(touch, { status: 'suppressed', reason: touch.reason, runId, updatedAt: now }),
        {
          ConditionExpression: NOT_HELD,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: RELEASED,
        },
      ),
    );
  }

  async listDeliveries(filter: { campaignId?: string; customerId?: string }): Promise<Delivery[]> {
    const { campaignId, customerId } = filter;
    if (customerId !== undefined) {
      const items = await this.table.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.customer(customerId).pk,
          ':prefix': campaignId === undefined ? 'TOUCH#' : `TOUCH#${campaignId}#`,
        },
      });
      return items
        .map((i) => this.reviewed(parseItem(deliveryItemSchema, i)))
        .filter((d) => campaignId === undefined || d.campaignId === campaignId);
    }
    if (campaignId !== undefined) return (await this.byCampaign(campaignId)).map((d) => this.reviewed(d));
    const campaigns = await this.campaigns.listCampaigns();
    const all = await Promise.all(campaigns.map((c) => this.byCampaign(c.campaign.id)));
    return all.flat().map((d) => this.reviewed(d));
  }

  /** In due-date order (the byCampaign sort key), read through the KEYS_ONLY index. */
  private async byCampaign(campaignId: string): Promise<Delivery[]> {
    const refs = await this.table.query({
      IndexName: index.byCampaign,
      KeyConditionExpression: '#c = :c',
      ExpressionAttributeNames: { '#c': attr.ledgerCampaign },
      ExpressionAttributeValues: { ':c': campaignId },
    });
    const order = refs.map((r) => ({ pk: String(r.pk), sk: String(r.sk) }));
    const rows = await this.rows(order);
    const byKey = new Map(rows.map((d) => [`${keys.touch(d).pk}\u0000${keys.touch(d).sk}`, d]));
    return order.flatMap((k) => byKey.get(`${k.pk}\u0000${k.sk}`) ?? []);
  }

  private async rows(k: readonly Key[]): Promise<Delivery[]> {
    const items = await this.table.batchGet(k);
    return items.map((i) => parseItem(deliveryItemSchema, i));
  }
}
