// NoteDeliveryOutcome: every send and every applied bounce or complaint counts in the channel's
// rolling window (one aggregate write); a bounce or complaint that takes the window's rate above
// its bound pauses the channel (docs/send-time-checks.md). Callers count each outcome once: the
// feedback path calls it only when an event was applied, not for a replay.
import {
  type DeliveryOutcome,
  type GuardedChannel,
  hourBucket,
  type SendingState,
  tripReason,
  windowBuckets,
  windowCounts,
} from '../../domain/reputation.js';
import type { ReputationStore } from '../../ports/reputation.js';

export interface ReputationDeps {
  reputation: ReputationStore;
  /** Told when this call paused the channel: the handler emits the alarm's metric and logs it. */
  onPaused?: (state: SendingState) => void;
}

export interface NoteDeliveryOutcome {
  channel: GuardedChannel;
  outcome: DeliveryOutcome;
  /** ISO instant the outcome happened (the send, or the provider's event time). */
  at: string;
}

export type NoteResult = { paused: false } | { paused: true; reason: string; now: boolean };

export async function noteDeliveryOutcome(
  deps: ReputationDeps,
  input: NoteDeliveryOutcome,
): Promise<NoteResult> {
  await deps.reputation.count(input.channel, hourBucket(input.at), input.outcome);
  // A send cannot raise a rate: only a bounce or a complaint is judged.
  if (input.outcome === 'sent') return { paused: false };
  return judgeChannel(deps, input.channel, new Date(input.at));
}

/** Pauses the channel when its window's rates are out of bounds. */
export async function judgeChannel(
  deps: ReputationDeps,
  channel: GuardedChannel,
  now: Date,
): Promise<NoteResult> {
  const state = await deps.reputation.state(channel);
  if (state.paused) return { paused: true, reason: state.reason ?? 'paused', now: false };
  const counts = windowCounts(await deps.reputation.counts(channel, windowBuckets(now)), state.forgiven);
  const reason = tripReason(counts);
  if (reason === undefined) return { paused: false };
  const at = now.toISOString();
  const paused = await deps.reputation.pause(channel, reason, at);
  if (paused) deps.onPaused?.({ channel, paused: true, reason, pausedAt: at });
  return { paused: true, reason, now: paused };
}
