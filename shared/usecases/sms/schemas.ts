// Inbound SMS as they reach us: End User Messaging's two-way payload (the SNS message body, the
// same whether the cloud's topic or `touchpoint sms reply` sends it), and the outcome the API
// answers and the CLI reads.
import * as z from 'zod';
import { boundedId, MAX_WEBHOOK_ID_BYTES } from '../../domain/limits.js';

/**
 * docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html. Only what we use is
 * checked; the text's own limits are the domain's (sms-keywords.ts), applied by the use case so a
 * refusal names them. Other fields (messageKeyword, previousPublishedMessageId) pass unread.
 */
export const twoWayPayloadSchema = z.object({
  originationNumber: z.string().max(64, 'must be a phone number'),
  destinationNumber: z.string().max(64).optional(),
  messageBody: z.string(),
  inboundMessageId: boundedId(MAX_WEBHOOK_ID_BYTES),
  previousPublishedMessageId: z.string().max(1024).optional(),
});
export type TwoWayPayload = z.infer<typeof twoWayPayloadSchema>;

export const inboundOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('unknown-number'), messageId: z.string() }),
  z.object({
    outcome: z.enum(['opt-out', 'opt-in', 'help']),
    messageId: z.string(),
    keyword: z.string(),
    customerIds: z.array(z.string()),
    /** Per customer (opt-out/opt-in): whether their consent changed. */
    consent: z.record(z.string(), z.enum(['applied', 'unchanged', 'no-customer'])),
    /** The answer went to the provider: false for a redelivered message (answered once) or a failed send. */
    replied: z.boolean(),
    replyError: z.string().optional(),
  }),
  z.object({
    outcome: z.literal('reply'),
    messageId: z.string(),
    keyword: z.string(),
    customerIds: z.array(z.string()),
    /** The `sms.reply` events, one per customer with this number; `duplicate` when already stored. */
    events: z.array(z.object({ id: z.string(), customerId: z.string(), duplicate: z.boolean() })),
  }),
]);
export type InboundOutcome = z.infer<typeof inboundOutcomeSchema>;

/** `POST /v1/sms/replies`: what `touchpoint sms reply FROM TEXT` sends. */
export const smsReplyRequestSchema = z.strictObject({
  from: z.string().max(64, 'must be a phone number'),
  text: z.string(),
});
