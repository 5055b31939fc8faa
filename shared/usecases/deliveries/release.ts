// deliveries release: an operator checked the provider's logs for an `unknown` touch (a run reserved
// it and stopped before confirming the send) and found it was not sent. Releasing marks the ledger
// row `failed`, which does not hold the key, so a later run of its date may send it. A row that is
// sent, still in flight (a live reservation) or not held is refused: releasing it could send twice.
import * as z from 'zod';
import { channel } from '../../domain/channels.js';
import { boundedId, MAX_ID_BYTES } from '../../domain/limits.js';
import type { TouchKey } from '../../domain/touch.js';
import type { Clock } from '../../ports/clock.js';
import type { Ledger, ReleaseOutcome } from '../../ports/ledger.js';

/** POST /v1/deliveries/release: the touch's key, as the run output and the ledger name it. */
export const releaseRequestSchema = z.strictObject({
  campaignId: boundedId(),
  stepId: boundedId(),
  customerId: boundedId(),
  channel,
  // A contract's occasion is its id and end date together.
  occasion: boundedId(2 * MAX_ID_BYTES),
});

export type ReleaseResult = ReleaseOutcome;

/** Why each refusal is one, in words an operator can act on. */
export function releaseRefusal(outcome: Exclude<ReleaseOutcome, { released: true }>): string {
  switch (outcome.reason) {
    case 'not-found':
      return 'The ledger has no row for this touch.';
    case 'sent':
      return 'The ledger confirms this touch was sent: releasing it would let a run send it twice.';
    case 'in-flight':
      return `Run ${outcome.delivery.runId} reserved this touch at ${outcome.delivery.leasedAt ?? outcome.delivery.updatedAt} and may still be sending it; a reservation can be released once its 15-minute lease has run out.`;
    case 'not-held':
      return `The touch is ${outcome.delivery.status}: the ledger does not hold its key, so there is nothing to release.`;
  }
}

export function releaseDelivery(
  deps: { ledger: Pick<Ledger, 'release'>; clock: Clock },
  key: TouchKey,
): Promise<ReleaseResult> {
  return deps.ledger.release(key, deps.clock.now().toISOString());
}
