// Delivery feedback into the funnel's counters (docs/cost.md): a row counts once per state it
// reached (delivered, bounced, complained, opened, clicked) and once when its message made the
// customer opt out (unsubscribed), however many events say so. Each count is applied once per
// message and state (`once: fb#<channel>#<messageId>#<state>`): a replayed event, a second open, or a
// retry after a crash adds nothing. Counted before the event goes on the row, so a crash in between
// is retried by the bus and still counts once.
import type { Channel } from '../../domain/channels.js';
import type { FeedbackEvent } from '../../domain/delivery-feedback.js';
import type { Delivery } from '../../domain/touch.js';
import type { Ledger } from '../../ports/ledger.js';
import { COUNTERS, type ResultCounters } from '../../ports/results.js';
import { dimensionsOfTouch } from './count-run.js';

/** The row states the funnel counts, each under the counter of the same name. */
export const FUNNEL_STATES = ['delivered', 'bounced', 'complained', 'opened', 'clicked'] as const;
type FunnelState = (typeof FUNNEL_STATES)[number];
const isFunnelState = (s: string | undefined): s is FunnelState => FUNNEL_STATES.some((f) => f === s);

export async function countFeedback(
  results: ResultCounters,
  row: Delivery,
  event: Pick<FeedbackEvent, 'state' | 'channel' | 'messageId'>,
  optedOut: boolean,
): Promise<void> {
  const names: string[] = [];
  if (isFunnelState(event.state)) names.push(COUNTERS[event.state]);
  if (optedOut) names.push(COUNTERS.unsubscribed);
  for (const name of names)
    await results.add([{ ...dimensionsOfTouch(row), counts: { [name]: 1 } }], {
      once:
        name === COUNTERS.unsubscribed
          ? unsubscribedOnce(event.channel, event.messageId)
          : `fb#${event.channel}#${event.messageId}#${name}`,
    });
}

/** The once-key of a message's `unsubscribed`: one per message, whichever path (carrier, link, STOP) says so. */
const unsubscribedOnce = (channel: string, messageId: string) =>
  `fb#${channel}#${messageId}#${COUNTERS.unsubscribed}`;

/**
 * An opt-out through an unsubscribe link or an SMS STOP, counted `unsubscribed` on the row of the
 * message that led to it: the customer's sent row on that channel (of a campaign of `topic`, when the
 * link names one) settled nearest to `near` (the link's issue time; for a STOP, now). The rows are
 * read from the customer's own partition (never a scan); a customer with no sent row counts nowhere.
 */
export async function countOptOut(
  deps: {
    store: { ledger: Pick<Ledger, 'listDeliveries'>; results: ResultCounters };
    topicOf?: (campaignId: string) => Promise<string | undefined>;
  },
  subject: { customerId: string; channel: Channel; topic?: string; near: string },
): Promise<void> {
  const near = Date.parse(subject.near);
  const rows = (await deps.store.ledger.listDeliveries({ customerId: subject.customerId })).filter(
    (r) => r.channel === subject.channel && r.status === 'sent' && r.providerMessageId !== undefined,
  );
  const topics = new Map<string, string | undefined>();
  const topicOf = async (id: string) => {
    if (!topics.has(id)) topics.set(id, await deps.topicOf?.(id));
    return topics.get(id);
  };
  let best: Delivery | undefined;
  for (const r of rows) {
    if (subject.topic !== undefined && deps.topicOf && (await topicOf(r.campaignId)) !== subject.topic)
      continue;
    const distance = Math.abs(Date.parse(r.updatedAt) - near);
    if (!best || distance < Math.abs(Date.parse(best.updatedAt) - near)) best = r;
  }
  if (!best?.providerMessageId) return;
  await deps.store.results.add([{ ...dimensionsOfTouch(best), counts: { [COUNTERS.unsubscribed]: 1 } }], {
    once: unsubscribedOnce(best.channel, best.providerMessageId),
  });
}
