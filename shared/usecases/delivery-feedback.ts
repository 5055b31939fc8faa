// ApplyDeliveryFeedback: one provider event (SES or End User Messaging SMS) onto the ledger row of
// its message, found by message id (docs/delivery-feedback.md). Delivery events are signals, not
// noise: a permanent bounce puts the address on the suppression list as `bounced`; a complaint as
// `complained`, and opts the customer out of that channel. The same event twice has one effect.
import { normalizeEmail } from '../domain/addresses.js';
import type { FeedbackEvent } from '../domain/delivery-feedback.js';
import type { SuppressionReason } from '../domain/documents.js';
import type { TouchKey } from '../domain/touch.js';
import type { Clock } from '../ports/clock.js';
import type { ConsentStore } from '../ports/consent.js';
import type { Ledger } from '../ports/ledger.js';
import type { ReputationStore } from '../ports/reputation.js';
import type { ResultCounters } from '../ports/results.js';
import type { SuppressionStore } from '../ports/suppression.js';
import { recordConsentChange } from './consent/record.js';
import { noteDeliveryOutcome, type ReputationDeps } from './reputation/note-outcome.js';
import { countFeedback } from './results/count-feedback.js';

/**
 * A provider event can outrun the write that settles its send (the lookup by message id is written
 * then). An unmatched event younger than this is handed back to the bus to retry (EventBridge and
 * the local bus retry with backoff); an older one is recorded and ignored.
 */
export const UNMATCHED_RETRY_MS = 60_000;

export class FeedbackTooEarlyError extends Error {
  constructor(readonly messageId: string) {
    super(`no ledger row for message ${messageId} yet: retried until the send settles`);
    this.name = 'FeedbackTooEarlyError';
  }
}

export interface FeedbackDeps {
  /** `reputation`: the sender reputation guard's counters, told of each newly applied bounce and complaint. */
  store: {
    ledger: Ledger;
    suppression: SuppressionStore;
    consent: ConsentStore;
    reputation: ReputationStore;
    /** The funnel's counters: delivered, bounced, complained, opened, clicked, unsubscribed (docs/cost.md). */
    results: ResultCounters;
  };
  clock: Clock;
  /** Told when a bounce or complaint paused the channel (the handler logs it; the alarm reads the metric). */
  onPaused?: ReputationDeps['onPaused'];
}

export type FeedbackOutcome =
  | {
      status: 'applied';
      key: TouchKey;
      /** Addresses newly put on the suppression list (normalized). */
      suppressed: string[];
      /** The customer was opted out of the channel by this event. */
      optedOut: boolean;
    }
  /** Applied before (or the row's timeline is full): nothing changed. */
  | { status: 'duplicate'; key: TouchKey }
  /** No ledger row has this message id: recorded by the caller's log, and ignored. */
  | { status: 'unmatched' };

export async function applyDeliveryFeedback(
  deps: FeedbackDeps,
  event: FeedbackEvent,
): Promise<FeedbackOutcome> {
  const key = await deps.store.ledger.findByMessageId(event.channel, event.messageId);
  const row = key && (await deps.store.ledger.getDelivery(key));
  if (!key || !row) {
    const age = deps.clock.now().getTime() - Date.parse(event.at);
    if (age < UNMATCHED_RETRY_MS) throw new FeedbackTooEarlyError(event.messageId);
    return { status: 'unmatched' };
  }
  // The effects first, each idempotent on its own, then the event on the row, which is what makes a
  // replay a no-op: a crash in between is retried by the bus and lands the same effects once.
  const suppressed: string[] = [];
  const reason: SuppressionReason | undefined = event.complaint
    ? 'complained'
    : event.permanentBounce
      ? 'bounced'
      : undefined;
  if (reason) {
    const targets = event.recipients.length > 0 ? event.recipients : row.address ? [row.address] : [];
    for (const raw of targets) {
      const address = normalized(raw, event.channel);
      if (address === undefined || (await deps.store.suppression.getSuppression(address))) continue;
      await deps.store.suppression.addSuppression({
        address,
        reason,
        addedAt: event.at,
        source: reason === 'complained' ? 'complaint' : 'bounce',
      });
      suppressed.push(address);
    }
  }
  let optedOut = false;
  if (event.complaint || event.optedOut) {
    const consent = await recordConsentChange(deps, {
      customerId: key.customerId,
      channel: event.channel,
      value: false,
      // A carrier opt-out is the customer's STOP, sent to the carrier instead of to us.
      source: event.complaint ? 'complaint' : 'sms-keyword',
      at: event.at,
      evidence: event.messageId,
    });
    optedOut = consent === 'applied';
  }
  await countFeedback(deps.store.results, row, event, event.optedOut);
  const added = await deps.store.ledger.addDeliveryEvent(key, {
    type: event.type,
    ...(event.state && { state: event.state }),
    at: event.at,
    ...(event.detail !== undefined && { detail: event.detail }),
    id: event.id,
  });
  if (added === 'no-row') return { status: 'unmatched' };
  if (added !== 'applied') return { status: 'duplicate', key };
  if (event.permanentBounce || event.complaint) {
    const reputation = {
      reputation: deps.store.reputation,
      ...(deps.onPaused && { onPaused: deps.onPaused }),
    };
    await noteDeliveryOutcome(reputation, {
      channel: event.channel,
      outcome: event.complaint ? 'complained' : 'bounced',
      at: event.at,
    });
  }
  return { status: 'applied', key, suppressed, optedOut };
}

/**
 * The address as the suppression list keys it; a provider's malformed address is skipped, not fatal.
 * End User Messaging reports E.164 already: no phone metadata is loaded here (the bundle stays lean).
 */
function normalized(raw: string, channel: FeedbackEvent['channel']): string | undefined {
  if (channel === 'email') return raw.includes('@') ? normalizeEmail(raw) : undefined;
  const phone = raw.trim();
  return /^\+[1-9]\d{1,14}$/.test(phone) ? phone : undefined;
}
