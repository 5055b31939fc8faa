// A touch is one planned message; a delivery is its row in the ledger.
import type { DeliveryEventEntry, DeliveryState } from './delivery-states.js';
import type { Campaign, Channel, Contract, Customer, CustomerEvent } from './documents.js';

/** Reasons a touch is not sent, in the contract's order of precedence. */
export const SUPPRESSION_REASONS = [
  'paused',
  'holdout',
  'no-consent',
  'no-address',
  'suppressed-address',
  'already-sent',
  'quiet-hours',
  'frequency-cap',
] as const;
export type SuppressionReasonCode = (typeof SUPPRESSION_REASONS)[number];

/**
 * Every reason a ledger row or run report may carry: the plan's, and `window-missed`, which only the
 * intraday run records (docs/scheduling.md): the step's window closed before its event or contract
 * was indexed. It is never a reason of `run --date`'s plan and does not hold the key.
 * Two more come only from the send-time recheck (docs/send-time-checks.md): `exited` (since planning
 * the anchor stopped holding: the contract renewed or cancelled, new activity, …) and
 * `sending-paused` (the reputation guard paused the channel). Neither holds the key.
 */
export const RECORDED_REASONS = [
  ...SUPPRESSION_REASONS,
  'window-missed',
  'exited',
  'sending-paused',
] as const;
export type RecordedReasonCode = (typeof RECORDED_REASONS)[number];

/** The identity of a touch: the ledger holds at most one send per key. */
export interface TouchKey {
  campaignId: string;
  stepId: string;
  customerId: string;
  channel: Channel;
  occasion: string;
}

export const touchKeyString = (k: TouchKey): string =>
  [k.campaignId, k.stepId, k.customerId, k.channel, k.occasion].join('|');

/** What a due step was found through: the anchor's record, for templates and occasions. */
export interface Occurrence {
  customer: Customer;
  /** The anchor date in the customer's zone (YYYY-MM-DD). */
  anchorDate: string;
  occasion: string;
  contract?: Contract;
  event?: CustomerEvent;
}

export interface PlannedTouch extends TouchKey {
  tier: string;
  locale: string;
  /** The local date D the step is due on. */
  dueDate: string;
  /**
   * The local date it goes out on: `dueDate`, or the later run date a caught-up touch is timed
   * into. Frequency caps count the message on this day (absent on rows written before: `dueDate`).
   */
  sendDate?: string;
  /** UTC instant, ISO with milliseconds. */
  sendAt: string;
  /** End of the send window on D, UTC instant: nothing is sent after it. */
  windowEnd: string;
  status: 'planned' | 'suppressed';
  reason?: RecordedReasonCode;
  /** The address the touch goes to (normalized), when the customer has one. */
  address?: string;
  template: string;
  /** Position in planning order (priority, step, customer, channel); reports list touches by it. */
  seq?: number;
  /** The anchor record, carried so the send step can render without re-reading it. */
  contract?: Pick<Contract, 'id' | 'customerId' | 'product' | 'startDate' | 'endDate' | 'status'>;
  event?: CustomerEvent;
}

/** Final statuses of a touch in a run and in the ledger. */
export type DeliveryStatus =
  | 'reserved'
  | 'sent'
  | 'suppressed'
  | 'failed'
  | 'unknown'
  | 'deferred'
  | 'expired';

export interface Delivery extends TouchKey {
  status: DeliveryStatus;
  reason?: string;
  dueDate: string;
  /** The local day the message goes out on, which frequency caps count (absent: `dueDate`). */
  sendDate?: string;
  sendAt: string;
  runId: string;
  tier?: string;
  locale?: string;
  address?: string;
  providerMessageId?: string;
  error?: string;
  updatedAt: string;
  /**
   * When a `reserved` row was reserved, by the ledger's wall clock (never a run's simulated clock):
   * the lease that tells a later run whether the reserving send can still be alive.
   */
  leasedAt?: string;
  /** Later provider events: delivery, bounce, complaint, open, click. */
  events?: { type: string; at: string }[];
  /** What happened after the send: the state of the latest provider event (docs/delivery-feedback.md). */
  delivery?: DeliveryState;
  /** The provider's events for the message (delivery, bounce, complaint, open, click…). */
  deliveryEvents?: DeliveryEventEntry[];
}

/** The day a touch or ledger row counts on for frequency caps: the local day it goes out. */
export const capDate = (t: { dueDate: string; sendDate?: string }): string => t.sendDate ?? t.dueDate;

/** The ledger row a touch becomes: its key and planning facts, with the write's own fields. */
export function deliveryOf(
  touch: PlannedTouch,
  fields: Pick<Delivery, 'status' | 'runId' | 'updatedAt' | 'reason' | 'error' | 'leasedAt'>,
): Delivery {
  return {
    campaignId: touch.campaignId,
    stepId: touch.stepId,
    customerId: touch.customerId,
    channel: touch.channel,
    occasion: touch.occasion,
    dueDate: touch.dueDate,
    ...(touch.sendDate !== undefined && { sendDate: touch.sendDate }),
    sendAt: touch.sendAt,
    tier: touch.tier,
    locale: touch.locale,
    address: touch.address,
    ...fields,
  };
}

export interface CampaignRecord {
  campaign: Campaign;
  version: number;
  paused: boolean;
  updatedAt: string;
}
