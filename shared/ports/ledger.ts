// The ledger: one row per touch key, written only by conditional writes (DESIGN decision 2).
import type { DeliveryEventEntry } from '../domain/delivery-states.js';
import type { Channel } from '../domain/documents.js';
import type { Delivery, DeliveryStatus, PlannedTouch, TouchKey } from '../domain/touch.js';

/** How a reserved touch ended. */
export interface SettleOutcome {
  status: Extract<DeliveryStatus, 'sent' | 'failed' | 'deferred' | 'expired'>;
  providerMessageId?: string;
  error?: string;
}

export interface Ledger {
  /** Ledger rows for these keys (by touchKeyString). */
  getDeliveries(keys: readonly TouchKey[]): Promise<Map<string, Delivery>>;
  /**
   * The days (YYYY-MM-DD, one entry per message) the customer's messages on `channel` that count for
   * frequency caps (sent, reserved, unknown) go out on, in [fromDay, toDay]: each message's local
   * send day (`capDate`), which for a caught-up touch is later than its due date.
   */
  countedDueDates(customerId: string, channel: Channel, fromDay: string, toDay: string): Promise<string[]>;
  /**
   * The conditional write: claims the key for this run unless the ledger already holds it as
   * sent/reserved/unknown. Returns false when another run (or an earlier one) holds it. The row's
   * lease (`leasedAt`) is stamped with the ledger's wall clock, whatever `now` (the run's clock) says.
   */
  reserve(touch: PlannedTouch, runId: string, now: string): Promise<boolean>;
  /** Marks a reserved touch with its outcome. */
  settle(key: TouchKey, outcome: SettleOutcome, now: string): Promise<void>;
  /** Records a suppressed touch, unless the key is already held (never overwrites a send). */
  recordSuppressed(touch: PlannedTouch, runId: string, now: string): Promise<void>;
  /**
   * The ledger, with `reserved` rows whose lease ran out (`reviewed`) shown as `unknown`: the run
   * that reserved them died before settling (docs/exactly-once.md).
   */
  listDeliveries(filter: { campaignId?: string; customerId?: string }): Promise<Delivery[]>;
  /** One ledger row, strongly consistent: what the send path reads after a refused reserve. */
  getDelivery(key: TouchKey): Promise<Delivery | undefined>;
  /**
   * Records a touch whose send window closed before it could be sent. `expired` does not hold the
   * key, so a later run may still send it. Returns false (and writes nothing) when the key is held.
   */
  recordExpired(touch: PlannedTouch, runId: string, now: string): Promise<boolean>;
  /**
   * A later run met `row`, a `reserved` row it could not take. When the send that reserved it is
   * gone — `holderGone` (the asking run reserved it itself: an earlier attempt of the batch died) or
   * its lease is older than RESERVATION_TIMEOUT_MS on the ledger's wall clock — the row becomes
   * `unknown` (reason `reserved-not-confirmed`; it stays held, never resent). Conditional on the
   * row still being that reservation. Returns whether the row is now `unknown`.
   */
  markUnknown(row: Delivery, holderGone: boolean, now: string): Promise<boolean>;
  /**
   * An operator checked the provider's logs and found that an `unknown` touch (or a `reserved` one
   * whose lease ran out) was never sent: the row becomes `failed` (released), so a later run may
   * send it. Refused for a row that is sent, still in flight, or not held.
   */
  release(key: TouchKey, now: string): Promise<ReleaseOutcome>;
  /**
   * The touch a provider message was sent as: `settle` with a providerMessageId writes a small
   * lookup item keyed by channel and message id, so a delivery event finds its row without a Scan.
   */
  findByMessageId(channel: Channel, messageId: string): Promise<TouchKey | undefined>;
  /**
   * Appends a provider event to the row's `deliveryEvents` and sets its `delivery` to the state of
   * its latest event. The same event (by `id`) twice has one effect: `duplicate`. `full`: the row's
   * timeline holds MAX_DELIVERY_EVENTS already (nothing written). `no-row`: the key holds no row.
   */
  addDeliveryEvent(key: TouchKey, event: DeliveryEventEntry): Promise<AddDeliveryEventOutcome>;
}

export type AddDeliveryEventOutcome = 'applied' | 'duplicate' | 'full' | 'no-row';

/** A row's timeline stops growing here (shared/domain/limits.ts). */
export { MAX_DELIVERY_EVENTS } from '../domain/limits.js';

/** How long a message id lookup is kept: SMS carriers report within 72 h, complaints come later. */
export const MESSAGE_LOOKUP_DAYS = 90;

export type ReleaseOutcome =
  | { released: true; delivery: Delivery }
  | { released: false; reason: 'not-found' }
  | { released: false; reason: 'sent' | 'in-flight' | 'not-held'; delivery: Delivery };

/** A `reserved` row older than this was left by a send that died (the batch's retries are long over). */
export const RESERVATION_TIMEOUT_MS = 15 * 60_000;

/** Why a run reports a touch `unknown`, and what the ledger row then says. */
export const UNKNOWN_REASONS = {
  /** The reserving send died before settling: the message may or may not have gone out. */
  notConfirmed: 'reserved-not-confirmed',
  /** Another run's fresh reservation did not settle while this run waited: it may still be sending. */
  inFlight: 'reserved-in-flight',
} as const;

/** What a released row says: it is `failed` (not held), so a later run may send it. */
export const RELEASED_ERROR = "released by an operator: the provider's logs show it was not sent";

/**
 * Whether a `reserved` row's holder can no longer be sending: its lease, stamped with the wall clock
 * at the reserve, is older than RESERVATION_TIMEOUT_MS. Rows reserved before leases existed are
 * judged by updatedAt, which a simulated run clock may have dated far in the future: a stamp that
 * far from the wall clock, either way, cannot be a send in flight.
 */
export function leaseExpired(row: Pick<Delivery, 'leasedAt' | 'updatedAt'>, wallNow: Date): boolean {
  const at = Date.parse(row.leasedAt ?? row.updatedAt);
  return Number.isNaN(at) || Math.abs(wallNow.getTime() - at) >= RESERVATION_TIMEOUT_MS;
}

/** The ledger as a review shows it: a `reserved` row whose lease ran out reads `unknown`. */
export function reviewed(row: Delivery, wallNow: Date): Delivery {
  return row.status === 'reserved' && leaseExpired(row, wallNow)
    ? { ...row, status: 'unknown', reason: UNKNOWN_REASONS.notConfirmed }
    : row;
}
