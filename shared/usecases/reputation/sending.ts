// SendingStatus and ResumeSending: what the reputation guard says about a channel, and the
// operator's way to let it send again (`touchpoint sending status|resume`, /v1/sending).
import {
  type GuardedChannel,
  MAX_BOUNCE_RATE,
  MAX_COMPLAINT_RATE,
  REPUTATION_MIN_SENDS,
  REPUTATION_WINDOW_HOURS,
  windowBuckets,
  windowCounts,
} from '../../domain/reputation.js';
import type { Clock } from '../../ports/clock.js';
import type { ReputationStore } from '../../ports/reputation.js';
import type { SendingStatus } from './schemas.js';

export type { SendingStatus };

interface Deps {
  reputation: ReputationStore;
  clock: Clock;
}

const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of);

export async function sendingStatus(deps: Deps, channel: GuardedChannel): Promise<SendingStatus> {
  const state = await deps.reputation.state(channel);
  const buckets = await deps.reputation.counts(channel, windowBuckets(deps.clock.now()));
  const counts = windowCounts(buckets, state.forgiven);
  return {
    channel,
    paused: state.paused,
    ...(state.reason !== undefined && state.paused && { reason: state.reason }),
    ...(state.pausedAt !== undefined && { pausedAt: state.pausedAt }),
    ...(state.resumedAt !== undefined && { resumedAt: state.resumedAt }),
    window: {
      ...counts,
      hours: REPUTATION_WINDOW_HOURS,
      bounceRate: rate(counts.bounced, counts.sent),
      complaintRate: rate(counts.complained, counts.sent),
    },
    limits: {
      minSends: REPUTATION_MIN_SENDS,
      maxBounceRate: MAX_BOUNCE_RATE,
      maxComplaintRate: MAX_COMPLAINT_RATE,
    },
  };
}

/**
 * Lets the channel send again. The window's counts so far are forgiven (the operator has dealt with
 * their cause): the guard judges only what comes after, so it does not trip again on the next bounce.
 */
export async function resumeSending(
  deps: Deps,
  channel: GuardedChannel,
): Promise<{ resumed: boolean; status: SendingStatus }> {
  const now = deps.clock.now();
  const buckets = await deps.reputation.counts(channel, windowBuckets(now));
  const resumed = await deps.reputation.resume(channel, now.toISOString(), Object.fromEntries(buckets));
  return { resumed, status: await sendingStatus(deps, channel) };
}
