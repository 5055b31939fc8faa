// An in-memory Ledger with the DynamoDB adapter's semantics: a key is held while its row is
// reserved or sent, and only a write whose condition holds may take it. JavaScript runs each
// method's check-and-set without interleaving, as DynamoDB runs one conditional write.
import { type DeliveryEventEntry, deliveryStateOf } from '../../../shared/domain/delivery-states.js';
import type { Channel } from '../../../shared/domain/documents.js';
import {
  capDate,
  type Delivery,
  deliveryOf,
  type PlannedTouch,
  type TouchKey,
  touchKeyString,
} from '../../../shared/domain/touch.js';
import type { Clock } from '../../../shared/ports/clock.js';
import {
  type AddDeliveryEventOutcome,
  type Ledger,
  leaseExpired,
  MAX_DELIVERY_EVENTS,
  RELEASED_ERROR,
  type ReleaseOutcome,
  reviewed,
  type SettleOutcome,
  UNKNOWN_REASONS,
} from '../../../shared/ports/ledger.js';
import { DeliveryNotFoundError } from '../../../shared/store/errors.js';

const HELD = new Set<Delivery['status']>(['reserved', 'sent', 'unknown']);

export class MemoryLedger implements Ledger {
  readonly rows = new Map<string, Delivery>();
  /** Every call, in order: what a race test inspects. */
  readonly calls: {
    op: 'reserve' | 'settle' | 'suppress' | 'expire' | 'unknown' | 'release';
    key: string;
    won?: boolean;
  }[] = [];

  /** `clock` is the ledger's wall clock: it stamps leases and judges them (a run's clock may differ). */
  constructor(private readonly clock: Clock) {}

  private take(touch: PlannedTouch, row: Delivery): boolean {
    const k = touchKeyString(touch);
    const held = this.rows.get(k);
    if (held && HELD.has(held.status)) return false;
    this.rows.set(k, row);
    return true;
  }

  private reviewed(d: Delivery): Delivery {
    return reviewed(d, this.clock.now());
  }

  async markUnknown(row: Delivery, holderGone: boolean, now: string): Promise<boolean> {
    if (row.status === 'unknown') return true;
    if (row.status !== 'reserved' || !(holderGone || leaseExpired(row, this.clock.now()))) return false;
    const k = touchKeyString(row);
    const held = this.rows.get(k);
    const same = held?.status === 'reserved' && held.runId === row.runId && held.updatedAt === row.updatedAt;
    if (same)
      this.rows.set(k, { ...held, status: 'unknown', reason: UNKNOWN_REASONS.notConfirmed, updatedAt: now });
    this.calls.push({ op: 'unknown', key: k, won: same });
    return same;
  }

  async release(key: TouchKey, now: string): Promise<ReleaseOutcome> {
    const k = touchKeyString(key);
    const row = this.rows.get(k);
    this.calls.push({ op: 'release', key: k });
    if (!row) return { released: false, reason: 'not-found' };
    if (row.status === 'sent') return { released: false, reason: 'sent', delivery: row };
    if (row.status === 'reserved' && !leaseExpired(row, this.clock.now()))
      return { released: false, reason: 'in-flight', delivery: row };
    if (row.status !== 'reserved' && row.status !== 'unknown')
      return { released: false, reason: 'not-held', delivery: row };
    const delivery: Delivery = { ...row, status: 'failed', error: RELEASED_ERROR, updatedAt: now };
    this.rows.set(k, delivery);
    return { released: true, delivery };
  }

  async getDeliveries(keys: readonly TouchKey[]): Promise<Map<string, Delivery>> {
    return new Map(
      keys.flatMap((k) => {
        const d = this.rows.get(touchKeyString(k));
        return d ? [[touchKeyString(k), d] as const] : [];
      }),
    );
  }

  async countedDueDates(
    customerId: string,
    channel: Channel,
    fromDay: string,
    toDay: string,
  ): Promise<string[]> {
    return [...this.rows.values()]
      .filter(
        (d) =>
          d.customerId === customerId &&
          d.channel === channel &&
          HELD.has(d.status) &&
          capDate(d) >= fromDay &&
          capDate(d) <= toDay,
      )
      .map(capDate);
  }

  async reserve(touch: PlannedTouch, runId: string, now: string): Promise<boolean> {
    const leasedAt = this.clock.now().toISOString();
    const won = this.take(touch, deliveryOf(touch, { status: 'reserved', runId, updatedAt: now, leasedAt }));
    this.calls.push({ op: 'reserve', key: touchKeyString(touch), won });
    return won;
  }

  async settle(key: TouchKey, outcome: SettleOutcome, now: string): Promise<void> {
    const k = touchKeyString(key);
    const row = this.rows.get(k);
    if (!row) throw new DeliveryNotFoundError(k);
    this.rows.set(k, {
      ...row,
      ...outcome,
      updatedAt: now,
      ...(outcome.status === 'sent' && { delivery: row.delivery ?? 'sent' }),
    });
    if (outcome.providerMessageId !== undefined)
      this.messages.set(`${key.channel}#${outcome.providerMessageId}`, {
        campaignId: key.campaignId,
        stepId: key.stepId,
        customerId: key.customerId,
        channel: key.channel,
        occasion: key.occasion,
      });
    this.calls.push({ op: 'settle', key: k });
  }

  /** Provider message id lookups (`channel#id` → key), as settle writes them. */
  readonly messages = new Map<string, TouchKey>();

  async findByMessageId(channel: Channel, messageId: string): Promise<TouchKey | undefined> {
    return this.messages.get(`${channel}#${messageId}`);
  }

  async addDeliveryEvent(key: TouchKey, event: DeliveryEventEntry): Promise<AddDeliveryEventOutcome> {
    const k = touchKeyString(key);
    const row = this.rows.get(k);
    if (!row) return 'no-row';
    const events = row.deliveryEvents ?? [];
    if (events.some((e) => e.id === event.id)) return 'duplicate';
    if (events.length >= MAX_DELIVERY_EVENTS) return 'full';
    const next = [...events, event];
    const delivery = deliveryStateOf(next, row.status === 'sent' ? 'sent' : undefined);
    this.rows.set(k, { ...row, deliveryEvents: next, ...(delivery && { delivery }) });
    return 'applied';
  }

  async recordSuppressed(touch: PlannedTouch, runId: string, now: string): Promise<void> {
    const row = deliveryOf(touch, {
      status: 'suppressed',
      runId,
      updatedAt: now,
      ...(touch.reason !== undefined && { reason: touch.reason }),
    });
    this.calls.push({ op: 'suppress', key: touchKeyString(touch), won: this.take(touch, row) });
  }

  async listDeliveries(filter: { campaignId?: string; customerId?: string }): Promise<Delivery[]> {
    return [...this.rows.values()]
      .filter(
        (d) =>
          (filter.campaignId === undefined || d.campaignId === filter.campaignId) &&
          (filter.customerId === undefined || d.customerId === filter.customerId),
      )
      .map((d) => this.reviewed(d));
  }

  async getDelivery(key: TouchKey): Promise<Delivery | undefined> {
    return this.rows.get(touchKeyString(key));
  }

  async recordExpired(touch: PlannedTouch, runId: string, now: string): Promise<boolean> {
    const row = deliveryOf(touch, {
      status: 'expired',
      runId,
      updatedAt: now,
      error: 'send window closed before the batch ran',
    });
    const won = this.take(touch, row);
    this.calls.push({ op: 'expire', key: touchKeyString(touch), won });
    return won;
  }
}
