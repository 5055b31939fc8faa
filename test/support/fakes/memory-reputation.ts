import type {
  DeliveryOutcome,
  GuardedChannel,
  OutcomeCounts,
  SendingState,
} from '../../../shared/domain/reputation.js';
import type { ReputationStore } from '../../../shared/ports/reputation.js';

/** The reputation counters in memory: one instance stands for the table every sender shares. */
export class MemoryReputation implements ReputationStore {
  readonly buckets = new Map<string, OutcomeCounts>();
  readonly states = new Map<GuardedChannel, SendingState>();

  async count(channel: GuardedChannel, bucket: string, outcome: DeliveryOutcome): Promise<void> {
    const k = `${channel}|${bucket}`;
    const c = { ...(this.buckets.get(k) ?? { sent: 0, bounced: 0, complained: 0 }) };
    c[outcome] += 1;
    this.buckets.set(k, c);
  }

  async counts(channel: GuardedChannel, buckets: readonly string[]): Promise<Map<string, OutcomeCounts>> {
    const out = new Map<string, OutcomeCounts>();
    for (const b of buckets) {
      const c = this.buckets.get(`${channel}|${b}`);
      if (c) out.set(b, { ...c });
    }
    return out;
  }

  async state(channel: GuardedChannel): Promise<SendingState> {
    return { ...(this.states.get(channel) ?? { channel, paused: false }) };
  }

  async pause(channel: GuardedChannel, reason: string, at: string): Promise<boolean> {
    const s = this.states.get(channel);
    if (s?.paused) return false;
    this.states.set(channel, { ...s, channel, paused: true, reason, pausedAt: at });
    return true;
  }

  async resume(
    channel: GuardedChannel,
    at: string,
    forgiven: Record<string, OutcomeCounts>,
  ): Promise<boolean> {
    const s = this.states.get(channel);
    if (!s?.paused) return false;
    this.states.set(channel, { ...s, channel, paused: false, resumedAt: at, forgiven });
    return true;
  }
}
