// The sender reputation counters: hourly aggregate items per channel, updated on each outcome
// (never a scan), and the channel's sending state.
import type { DeliveryOutcome, GuardedChannel, OutcomeCounts, SendingState } from '../domain/reputation.js';

export interface ReputationStore {
  /** Adds one outcome to the channel's bucket (`hourBucket`); the bucket expires after the window. */
  count(channel: GuardedChannel, bucket: string, outcome: DeliveryOutcome): Promise<void>;
  /** The counts of these buckets (absent ones are left out). */
  counts(channel: GuardedChannel, buckets: readonly string[]): Promise<Map<string, OutcomeCounts>>;
  /** The channel's state; a channel never paused is not paused. */
  state(channel: GuardedChannel): Promise<SendingState>;
  /** Pauses the channel unless it is paused already; true when this call paused it. */
  pause(channel: GuardedChannel, reason: string, at: string): Promise<boolean>;
  /** Resumes a paused channel, forgiving the window's counts as they are now; false (nothing written) when it was not paused. */
  resume(channel: GuardedChannel, at: string, forgiven: Record<string, OutcomeCounts>): Promise<boolean>;
}
