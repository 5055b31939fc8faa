// SNS subscription: End User Messaging two-way SMS publishes each message a customer sends to our
// number to the stack's topic; this hands each to receiveSms, the use case `touchpoint sms reply`
// and the local SMS page drive too. A message it must refuse (not a two-way payload, a text no
// phone sends) is logged by its paths and dropped: retrying cannot fix it. A store or provider
// failure throws, so Lambda retries the asynchronous invocation and then the DLQ alarm fires; every
// effect is idempotent by the inbound message id, so a retry ends as one delivery would.
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import * as z from 'zod';
import { EndUserMessagingSmsSender } from '../shared/channels/sms.js';
import { parseEnv } from '../shared/config/env.js';
import { inSaneYears } from '../shared/domain/limits.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import type { SmsSender } from '../shared/ports/channels.js';
import { ConsentRows } from '../shared/store/consent.js';
import { CustomerData } from '../shared/store/customer-data.js';
import { Documents } from '../shared/store/documents.js';
import { LedgerRows } from '../shared/store/ledger.js';
import { Partners } from '../shared/store/partners.js';
import { type ReceiveSmsDeps, receiveSms } from '../shared/usecases/sms/receive-sms.js';
import { attributionStores } from './commons/attribution.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

/** The SNS → Lambda event, as far as it is read: each record's message body and publish time. */
const snsEvent = z.object({
  Records: z.array(
    z.object({ Sns: z.object({ MessageId: z.string(), Message: z.string(), Timestamp: z.string() }) }),
  ),
});

const jsonOrText = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
};

/**
 * The SNS publish time, when it is an instant the store keeps (1900–2100, shared/domain/limits.ts);
 * else undefined, and the use case takes the time of receipt: a consent change or an event at year
 * 0001 would be refused, and the invocation retried into the DLQ for a message it could record.
 */
const arrivedAt = (timestamp: string): string | undefined => {
  const at = new Date(timestamp);
  if (Number.isNaN(at.getTime())) return undefined;
  const iso = at.toISOString();
  return inSaneYears(iso) ? iso : undefined;
};

export const createHandler =
  (deps: ReceiveSmsDeps, log: Log = createLog(metricService('inbound-sms'))) =>
  async (event: unknown) => {
    const outcomes: string[] = [];
    for (const { Sns } of snsEvent.parse(event).Records) {
      const result = await receiveSms(deps, jsonOrText(Sns.Message), arrivedAt(Sns.Timestamp));
      if (!result.ok) {
        // Paths and messages only: the body may hold anything a phone (or a forger) sent.
        log.warn('inbound SMS refused', { snsMessageId: Sns.MessageId, issues: result.issues });
        outcomes.push('refused');
        continue;
      }
      const r = result.value;
      // Ids, keyword and outcome; never the number or the text (the log masks them anyway).
      if (r.outcome === 'unknown-number')
        log.info('inbound SMS from a number no customer has: recorded, not answered', {
          messageId: r.messageId,
        });
      else if (r.outcome === 'reply')
        log.info('inbound SMS recorded as sms.reply', {
          messageId: r.messageId,
          keyword: r.keyword,
          customerIds: r.customerIds,
        });
      else
        log.info('inbound SMS keyword', {
          messageId: r.messageId,
          outcome: r.outcome,
          customerIds: r.customerIds,
          consent: r.consent,
          replied: r.replied,
          ...(r.replyError !== undefined && { replyError: r.replyError }),
        });
      outcomes.push(r.outcome);
    }
    return { outcomes };
  };

const smsDisabled: SmsSender = {
  send: async () => ({
    ok: false,
    retryable: false,
    error: 'SMS is disabled: no origination identity configured',
  }),
};

export const handler = lazyHandler(() => {
  const env = parseEnv('inbound-sms');
  const table = cloudTable(env.TABLE_NAME);
  const customers = new CustomerData(table);
  const documents = new Documents(table, customers);
  const origination = env.SMS_ORIGINATION_IDENTITY;
  const attribution = attributionStores(table, { customers, documents });
  return createHandler({
    store: {
      ...attribution,
      // A STOP counts `unsubscribed` on the customer's last SMS (its own partition, docs/cost.md).
      ledger: new LedgerRows(table, attribution.campaigns, systemClock),
      customers,
      documents,
      settings: documents,
      receipts: new Partners(table),
      consent: new ConsentRows(table),
    },
    // Answers go out from the configured number; one per inbound message, so no shared rate budget.
    sms: origination
      ? new EndUserMessagingSmsSender({
          client: new PinpointSMSVoiceV2Client({}),
          originationIdentity: origination,
        })
      : smsDisabled,
    clock: systemClock,
  });
});
