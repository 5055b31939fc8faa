// A customer's SMS to our number (End User Messaging two-way → SNS → functions/inbound-sms.ts in the
// cloud; `touchpoint sms reply` and the SMS page's reply box locally, through the same payload).
// A keyword opts the sender's customers out of SMS or back in, or asks for help, and is answered in
// the customer's locale through the SMS port; any other text becomes an `sms.reply` event of each
// customer with that number (through ingest-event, so a campaign can anchor on it). A number no
// customer has is recorded and not answered. docs/two-way-sms.md.
import { createHash } from 'node:crypto';
import { InvalidAddressError, normalizePhone } from '../../domain/addresses.js';
import { e164 } from '../../domain/fields.js';
import { inboundTextProblem, keywordReply, parseInboundText } from '../../domain/sms-keywords.js';
import type { SmsSender } from '../../ports/channels.js';
import type { Clock } from '../../ports/clock.js';
import type { ConsentOutcome } from '../../ports/consent.js';
import type { Stores } from '../../store/stores.js';
import { recordConsentChange } from '../consent/record.js';
import { ingestEvent, UnknownCustomerError } from '../ingest-event.js';
import type { AttributionStores } from '../results/attribute.js';
import { countOptOut } from '../results/count-feedback.js';
import { type InboundOutcome, type TwoWayPayload, twoWayPayloadSchema } from './schemas.js';

/** The event type a non-keyword reply becomes (the contract's name). */
export const SMS_REPLY_EVENT = 'sms.reply';
/**
 * Inbound message ids are claimed among the webhook receipts under this name, which no partner can
 * have (partner ids start with a letter or digit): SNS delivers at least once, we answer once.
 */
export const INBOUND_RECEIPT_NAME = '~sms-inbound';

export interface ReceiveSmsDeps {
  /** `ledger`: a STOP counts `unsubscribed` on the customer's last SMS (docs/cost.md). */
  store: Pick<Stores, 'customers' | 'documents' | 'receipts' | 'settings' | 'consent'> &
    AttributionStores & { ledger: Pick<Stores['ledger'], 'listDeliveries'> };
  sms: SmsSender;
  clock: Clock;
}

export type ReceiveSmsResult =
  | { ok: true; value: InboundOutcome }
  | { ok: false; issues: { path: string; message: string }[] };

const refused = (path: string, message: string): ReceiveSmsResult => ({
  ok: false,
  issues: [{ path, message }],
});

const TEXT_PROBLEMS = {
  empty: 'must not be empty',
  'too-long': 'is longer than an SMS can be',
  'unsafe-characters': 'must not contain control or bidirectional-override characters',
} as const;

/**
 * The sender as the index holds phones: normalized as imports do when libphonenumber knows the
 * number; a number it calls invalid (simulator, test and brand-new ranges) kept as written when it
 * has the E.164 shape, since it can still be answered, and cannot match a stored (valid) phone.
 */
function senderNumber(raw: string): string | undefined {
  try {
    return normalizePhone(raw);
  } catch (e) {
    if (!(e instanceof InvalidAddressError)) throw e;
    const trimmed = raw.trim();
    return e164.safeParse(trimmed).success ? trimmed : undefined;
  }
}

/** One event per customer and message, the same on a redelivery: the idempotency key. */
const replyEventId = (messageId: string, customerId: string): string =>
  `sms-reply-${createHash('sha256').update(`${messageId}\u0000${customerId}`).digest('base64url').slice(0, 32)}`;

/**
 * Handles one inbound SMS. Refuses (and changes nothing for) a payload that is not a two-way
 * message, a sender that is not a phone number, and an empty, oversized or control-laden text.
 * `at`: when the message arrived (the SNS timestamp), else now.
 */
export async function receiveSms(
  deps: ReceiveSmsDeps,
  raw: unknown,
  at: string = deps.clock.now().toISOString(),
): Promise<ReceiveSmsResult> {
  const parsed = twoWayPayloadSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    };
  const message: TwoWayPayload = parsed.data;
  const from = senderNumber(message.originationNumber);
  if (from === undefined)
    return refused('originationNumber', 'must be an E.164 phone number such as +14155550123');
  const problem = inboundTextProblem(message.messageBody);
  if (problem !== undefined) return refused('messageBody', TEXT_PROBLEMS[problem]);

  const messageId = message.inboundMessageId;
  const intent = parseInboundText(message.messageBody);
  const customerIds = await deps.store.customers.customerIdsByPhone(from);
  if (customerIds.length === 0) {
    // Recorded (the receipt, and the handler's log line), never answered: we do not text strangers.
    await deps.store.receipts.recordWebhookReceipt(INBOUND_RECEIPT_NAME, messageId, deps.clock.now());
    return { ok: true, value: { outcome: 'unknown-number', messageId } };
  }

  if (intent.kind === 'reply') {
    const events: { id: string; customerId: string; duplicate: boolean }[] = [];
    for (const customerId of customerIds) {
      const id = replyEventId(messageId, customerId);
      try {
        const { duplicate } = await ingestEvent(deps, {
          id,
          customerId,
          type: SMS_REPLY_EVENT,
          occurredAt: at,
          data: { keyword: intent.keyword, text: intent.text },
        });
        events.push({ id, customerId, duplicate });
      } catch (e) {
        // Erased since the (eventually consistent) phone index was read: nobody to record it for.
        if (!(e instanceof UnknownCustomerError)) throw e;
      }
    }
    await deps.store.receipts.recordWebhookReceipt(INBOUND_RECEIPT_NAME, messageId, deps.clock.now());
    return { ok: true, value: { outcome: 'reply', messageId, keyword: intent.keyword, customerIds, events } };
  }

  // Consent first, each change idempotent: a failure after it is retried by SNS/Lambda and ends the same.
  const consent: Record<string, ConsentOutcome> = {};
  if (intent.action !== 'help') {
    for (const customerId of customerIds)
      consent[customerId] = await recordConsentChange(deps, {
        customerId,
        channel: 'sms',
        value: intent.action === 'opt-in',
        source: 'sms-keyword',
        at,
        evidence: message.messageBody,
      });
  }
  // A STOP counts on the funnel of the customer's last SMS, once per message (a redelivery adds nothing).
  if (intent.action === 'opt-out')
    for (const customerId of customerIds) await countOptOut(deps, { customerId, channel: 'sms', near: at });
  // Then the answer, at most once per message: the receipt is claimed before the send.
  const first = await deps.store.customers.getCustomer(customerIds[0] ?? '');
  const fresh = await deps.store.receipts.recordWebhookReceipt(
    INBOUND_RECEIPT_NAME,
    messageId,
    deps.clock.now(),
  );
  let replied = false;
  let replyError: string | undefined;
  if (fresh) {
    const brand = (await deps.store.settings.getSettings()).sender?.fromName;
    const sent = await deps.sms.send({
      to: from,
      text: keywordReply(intent.action, first?.locale ?? 'en', brand),
      // A keyword answer is the carrier-required kind of message, not marketing.
      messageType: 'TRANSACTIONAL',
      tags: { purpose: 'keyword-reply' },
    });
    replied = sent.ok;
    if (!sent.ok) replyError = sent.error;
  }
  return {
    ok: true,
    value: {
      outcome: intent.action,
      messageId,
      keyword: intent.keyword,
      customerIds,
      consent,
      replied,
      ...(replyError !== undefined && { replyError }),
    },
  };
}
