// Delivery feedback: SES events (EventBridge rule on the default bus) and End User Messaging SMS
// events (its configuration set's SNS destination) → the ledger row of their message, the
// suppression list and consent (docs/delivery-feedback.md).
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import {
  type FeedbackEvent,
  fromSesRecord,
  fromSmsRecord,
  sesEventRecord,
  smsEventRecord,
} from '../shared/domain/delivery-feedback.js';
import { MAX_SNS_MESSAGE_BYTES } from '../shared/domain/limits.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import { publishMetrics, sendingPausedPoint } from '../shared/observability/metrics.js';
import { Campaigns } from '../shared/store/campaigns.js';
import { ConsentRows } from '../shared/store/consent.js';
import { LedgerRows } from '../shared/store/ledger.js';
import { ReputationRows } from '../shared/store/reputation.js';
import { ResultRows } from '../shared/store/results.js';
import { Suppressions } from '../shared/store/suppression.js';
import { applyDeliveryFeedback, type FeedbackDeps } from '../shared/usecases/delivery-feedback.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

/** An SES event as EventBridge hands it to a rule target. */
const sesEnvelope = z.object({ source: z.literal('aws.ses'), detail: sesEventRecord });
/** SNS → Lambda: each record's Message is one End User Messaging SMS event, as JSON text. */
const snsEnvelope = z.object({
  Records: z
    .array(z.object({ Sns: z.object({ Message: z.string().max(MAX_SNS_MESSAGE_BYTES) }) }))
    .min(1)
    .max(10),
});

export type ParsedDeliveryEvents = { ok: true; events: FeedbackEvent[] } | { ok: false; error: string };

/** The provider events an invocation carries, or why it carries none we can read. */
export function parseDeliveryEvents(input: unknown): ParsedDeliveryEvents {
  const ses = sesEnvelope.safeParse(input);
  if (ses.success) return { ok: true, events: [fromSesRecord(ses.data.detail)] };
  const sns = snsEnvelope.safeParse(input);
  if (!sns.success) {
    const looksSes = typeof input === 'object' && input !== null && 'detail' in input;
    return { ok: false, error: z.prettifyError(looksSes ? ses.error : sns.error) };
  }
  const events: FeedbackEvent[] = [];
  for (const record of sns.data.Records) {
    let json: unknown;
    try {
      json = JSON.parse(record.Sns.Message);
    } catch {
      return { ok: false, error: 'an SNS message is not JSON' };
    }
    const sms = smsEventRecord.safeParse(json);
    if (!sms.success) return { ok: false, error: z.prettifyError(sms.error) };
    events.push(fromSmsRecord(sms.data));
  }
  return { ok: true, events };
}

export const createHandler =
  (deps: FeedbackDeps, log: Log = createLog(metricService('delivery-events'))) =>
  async (input: unknown) => {
    const parsed = parseDeliveryEvents(input);
    if (!parsed.ok) {
      // A malformed event cannot become well-formed on a retry: refused, logged, nothing changed.
      log.error('delivery event refused', { reason: parsed.error });
      return { refused: parsed.error };
    }
    const outcomes = [];
    for (const event of parsed.events) {
      const outcome = await applyDeliveryFeedback(deps, event);
      // Message ids and types, never addresses.
      const fields = { channel: event.channel, type: event.type, messageId: event.messageId };
      if (outcome.status === 'unmatched') log.warn('delivery event for an unknown message ignored', fields);
      else
        log.info('delivery event', {
          ...fields,
          status: outcome.status,
          ...(outcome.status === 'applied' && {
            suppressed: outcome.suppressed.length,
            optedOut: outcome.optedOut,
          }),
        });
      outcomes.push(outcome.status);
    }
    return { outcomes };
  };

export const handler = lazyHandler(() => {
  const table = cloudTable(parseEnv('delivery-events').TABLE_NAME);
  const log = createLog(metricService('delivery-events'));
  const campaigns = new Campaigns(table, systemClock);
  return createHandler(
    {
      store: {
        ledger: new LedgerRows(table, campaigns, systemClock),
        suppression: new Suppressions(table),
        consent: new ConsentRows(table),
        reputation: new ReputationRows(table),
        results: new ResultRows(table, campaigns),
      },
      clock: systemClock,
      onPaused: (state) => {
        log.error('sending paused by the reputation guard', { ...state });
        publishMetrics([sendingPausedPoint(state.channel)]); // the EmailSendingPaused alarm
      },
    },
    log,
  );
});
