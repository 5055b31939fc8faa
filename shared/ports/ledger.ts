// The ledger: one row per touch key, written only by conditional writes (DESIGN decision 2).
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
   * Due dates (YYYY-MM-DD, one entry per message) of the customer's messages on `channel` that count
   * for frequency caps (sent, reserved, unknown), with dueDate in [fromDay, toDay].
   */
  countedDueDates(customerId: string, channel: Channel, fromDay: string, toDay: string): Promise<string[]>;
  /**
   * The conditional write: claims the key for this run unless the ledger already holds it as
   * sent/reserved/unknown. Returns false when another run (or an earlier one) holds it.
   */
  reserve(touch: PlannedTouch, runId: string, now: string): Promise<boolean>;
  /** Marks a reserved touch with its outcome. */
  settle(key: TouchKey, outcome: SettleOutcome, now: string): Promise<void>;
  /** Records a suppressed touch, unless the key is already held (never overwrites a send). */
  recordSuppressed(touch: PlannedTouch, runId: string, now: string): Promise<void>;
  /**
   * The ledger, with `reserved` rows older than RESERVATION_TIMEOUT_MS shown as `unknown`: the
   * run that reserved them died before settling (docs/exactly-once.md).
   */
  listDeliveries(filter: { campaignId?: string; customerId?: string }): Promise<Delivery[]>;
  /** One ledger row, strongly consistent: what the send path reads after a refused reserve. */
  getDelivery(key: TouchKey): Promise<Delivery | undefined>;
  /**
   * Records a touch whose send window closed before it could be sent. `expired` does not hold the
   * key, so a later run may still send it. Returns false (and writes nothing) when the key is held.
   */
  recordExpired(touch: PlannedTouch, runId: string, now: string): Promise<boolean>;
}

/** A `reserved` row older than this was left by a send that died (the batch's retries are long over). */
export const RESERVATION_TIMEOUT_MS = 15 * 60_000;
