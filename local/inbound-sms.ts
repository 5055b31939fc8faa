// Locally, the SMS page's reply box delivers a customer's message the way the cloud does: an SNS
// notification carrying End User Messaging's two-way payload, handed to functions/inbound-sms.ts.
import { randomUUID } from 'node:crypto';
import { createHandler } from '../functions/inbound-sms.js';
import type { ReceiveSmsDeps } from '../shared/usecases/sms/receive-sms.js';

/** One SNS → Lambda record around a two-way payload, as the topic would deliver it. */
export function snsTwoWayEvent(from: string, to: string, text: string, now: Date) {
  const payload = {
    originationNumber: from,
    destinationNumber: to,
    messageKeyword: 'KEYWORD_LOCAL',
    messageBody: text,
    inboundMessageId: randomUUID(),
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          Message: JSON.stringify(payload),
          Timestamp: now.toISOString(),
        },
      },
    ],
  };
}

/** The reply box's handler: the inbound-sms function over the embedded stack's ports. */
export function pageReplyHandler(
  deps: ReceiveSmsDeps,
  ourNumber: string,
): (from: string, text: string) => Promise<string> {
  const handle = createHandler(deps);
  return async (from, text) => {
    const { outcomes } = await handle(snsTwoWayEvent(from, ourNumber, text, deps.clock.now()));
    const outcome = outcomes[0] ?? 'refused';
    return outcome === 'refused'
      ? 'Refused: not an E.164 number, or an empty, oversized or control-laden text (see touchpoint logs). Nothing changed.'
      : `Received: ${outcome}. Answers, if any, are in the message list.`;
  };
}
