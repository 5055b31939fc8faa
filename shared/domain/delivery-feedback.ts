// Provider delivery events, read: SES event records (as EventBridge delivers them from a
// configuration set's event destination) and End User Messaging SMS event records (as its SNS event
// destination delivers them) become one `FeedbackEvent` shape, so the ledger and the suppression
// list learn of them the same way (docs/delivery-feedback.md). Pure: no AWS imports.
import * as z from 'zod';
import type { Channel } from './channels.js';
import type { DeliveryEventEntry, DeliveryState } from './delivery-states.js';
import {
  MAX_EMAIL_CHARS,
  MAX_FEEDBACK_RECIPIENTS,
  MAX_MESSAGE_ID_CHARS,
  UNSAFE_TEXT,
  utf8Bytes,
} from './limits.js';

export {
  DELIVERY_STATES,
  type DeliveryEventEntry,
  type DeliveryState,
  deliveryStateOf,
} from './delivery-states.js';

export interface FeedbackEvent extends DeliveryEventEntry {
  channel: Channel;
  /** The provider's message id: SES `mail.messageId`, End User Messaging `messageId`. */
  messageId: string;
  /** Recipients the event concerns (email addresses or the phone number), as the provider wrote them. */
  recipients: string[];
  /** A permanent bounce: the address goes on the suppression list as `bounced`. */
  permanentBounce: boolean;
  /** A complaint: the address goes on the list as `complained`, and the customer is opted out. */
  complaint: boolean;
  /** The carrier says the recipient opted out (End User Messaging's opt-out list). */
  optedOut: boolean;
}

const messageId = z
  .string()
  .min(1)
  .max(MAX_MESSAGE_ID_CHARS)
  .refine((s) => !UNSAFE_TEXT.test(s) && !/\s/.test(s), 'must be printable with no spaces');
const address = z.string().min(1).max(MAX_EMAIL_CHARS);
const instant = z.iso.datetime({ offset: true });
const MAX_RECIPIENTS = MAX_FEEDBACK_RECIPIENTS;

// The parts of an SES event record this reads; the rest (headers, MTA details) passes unread.
const sesMail = z.object({
  messageId,
  timestamp: instant,
  destination: z.array(address).max(MAX_RECIPIENTS).default([]),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});
const recipients = z
  .array(z.object({ emailAddress: address }))
  .max(MAX_RECIPIENTS)
  .default([]);

export const sesEventRecord = z.object({
  eventType: z.enum([
    'Send',
    'Delivery',
    'Bounce',
    'Complaint',
    'Reject',
    'Rendering Failure',
    'DeliveryDelay',
    'Open',
    'Click',
    'Subscription',
  ]),
  mail: sesMail,
  bounce: z
    .object({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: z.string().max(100).optional(),
      bouncedRecipients: recipients,
      timestamp: instant,
      feedbackId: z.string().max(MAX_MESSAGE_ID_CHARS),
    })
    .optional(),
  complaint: z
    .object({
      complainedRecipients: recipients,
      timestamp: instant,
      feedbackId: z.string().max(MAX_MESSAGE_ID_CHARS),
      complaintFeedbackType: z.string().max(100).optional(),
    })
    .optional(),
  delivery: z.object({ timestamp: instant, recipients: z.array(address).max(MAX_RECIPIENTS) }).optional(),
  reject: z.object({ reason: z.string().max(500) }).optional(),
  failure: z.object({ errorMessage: z.string().max(2000), templateName: z.string().max(200) }).optional(),
  deliveryDelay: z
    .object({ timestamp: instant, delayType: z.string().max(100), delayedRecipients: recipients })
    .optional(),
  open: z.object({ timestamp: instant }).optional(),
  click: z.object({ timestamp: instant, link: z.string().max(2048) }).optional(),
  subscription: z.object({ timestamp: instant }).optional(),
});
export type SesEventRecord = z.infer<typeof sesEventRecord>;

/** End User Messaging SMS event types (`eventType`), with the state each moves a ledger row to. */
const SMS_STATES: Record<string, DeliveryState | undefined> = {
  TEXT_DELIVERED: 'delivered',
  TEXT_SUCCESSFUL: 'delivered',
  TEXT_QUEUED: undefined,
  TEXT_PENDING: undefined,
  TEXT_BLOCKED: 'failed',
  TEXT_TTL_EXPIRED: 'failed',
  TEXT_CARRIER_UNREACHABLE: 'failed',
  TEXT_INVALID: 'failed',
  TEXT_INVALID_MESSAGE: 'failed',
  TEXT_CARRIER_BLOCKED: 'failed',
  TEXT_UNREACHABLE: 'failed',
  TEXT_SPAM: 'failed',
  TEXT_UNKNOWN: 'failed',
  TEXT_PROTECT_BLOCKED: 'failed',
};

export const smsEventRecord = z.object({
  eventType: z
    .string()
    .max(64)
    .refine((t) => Object.hasOwn(SMS_STATES, t), 'not an SMS event type'),
  eventVersion: z.string().max(16).optional(),
  eventTimestamp: z.number().int().nonnegative(),
  isFinal: z.boolean().optional(),
  originationPhoneNumber: z.string().max(64).optional(),
  destinationPhoneNumber: z.string().min(1).max(64),
  messageId,
  messageStatus: z.string().max(64),
  messageStatusDescription: z.string().max(1000).optional(),
  messageType: z.string().max(32).optional(),
  context: z.record(z.string(), z.string()).optional(),
});
export type SmsEventRecord = z.infer<typeof smsEventRecord>;

const SES_STATES: Record<SesEventRecord['eventType'], DeliveryState | undefined> = {
  Send: 'sent',
  Delivery: 'delivered',
  Bounce: 'bounced',
  Complaint: 'complained',
  Reject: 'rejected',
  'Rendering Failure': 'failed',
  DeliveryDelay: undefined,
  Open: 'opened',
  Click: 'clicked',
  Subscription: undefined,
};

/** The instant the record itself names for its event (the mail's timestamp when it names none). */
function sesEventAt(r: SesEventRecord): string {
  const at =
    r.bounce?.timestamp ??
    r.complaint?.timestamp ??
    r.delivery?.timestamp ??
    r.deliveryDelay?.timestamp ??
    r.open?.timestamp ??
    r.click?.timestamp ??
    r.subscription?.timestamp ??
    r.mail.timestamp;
  return new Date(at).toISOString();
}

export function fromSesRecord(r: SesEventRecord): FeedbackEvent {
  const at = sesEventAt(r);
  const bounced = r.bounce?.bouncedRecipients.map((x) => x.emailAddress);
  const complained = r.complaint?.complainedRecipients.map((x) => x.emailAddress);
  const permanentBounce = r.eventType === 'Bounce' && r.bounce?.bounceType === 'Permanent';
  const complaint = r.eventType === 'Complaint';
  // SES publishes one record per event; a bounce or complaint names its feedback report, other
  // events are told apart by type and time (two clicks on two links at once: by link as well).
  const distinct =
    r.bounce?.feedbackId ?? r.complaint?.feedbackId ?? `${at}${r.click ? `#${r.click.link}` : ''}`;
  const state = SES_STATES[r.eventType];
  const detail = r.bounce
    ? `${r.bounce.bounceType}${r.bounce.bounceSubType ? `/${r.bounce.bounceSubType}` : ''}`
    : (r.reject?.reason ?? r.deliveryDelay?.delayType);
  return {
    channel: 'email',
    messageId: r.mail.messageId,
    type: r.eventType,
    ...(state && { state }),
    at,
    ...(detail !== undefined && { detail }),
    id: eventKey(r.eventType, distinct),
    recipients: bounced ?? complained ?? r.delivery?.recipients ?? r.mail.destination,
    permanentBounce,
    complaint,
    optedOut: false,
  };
}

export function fromSmsRecord(r: SmsEventRecord): FeedbackEvent {
  const at = new Date(r.eventTimestamp).toISOString();
  const state = SMS_STATES[r.eventType];
  // End User Messaging reports a send to a number on the account's opt-out list as blocked, with
  // the status OPTED_OUT: the customer said STOP to the carrier or to us.
  const optedOut = r.messageStatus === 'OPTED_OUT';
  return {
    channel: 'sms',
    messageId: r.messageId,
    type: r.eventType,
    ...(state && { state }),
    at,
    ...(state === 'failed' && { detail: r.messageStatus }),
    id: eventKey(r.eventType, String(r.eventTimestamp)),
    recipients: [r.destinationPhoneNumber],
    // The number is not a phone that can take SMS: the SMS counterpart of a permanent bounce.
    permanentBounce: r.eventType === 'TEXT_INVALID',
    complaint: false,
    optedOut,
  };
}

/** A short key for an event (kept in the row, compared on each event): its type and what sets it apart. */
function eventKey(type: string, distinct: string): string {
  const key = `${type}#${distinct}`;
  return utf8Bytes(key) <= 200 ? key : `${type}#${fnv(distinct)}`;
}

function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}
