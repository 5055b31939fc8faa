// The sender reputation guard: mailbox providers (and SES itself, which reviews an account above
// 5 % bounces or 0.1 % complaints) judge a sender by its recent bounce and complaint rates. The
// guard pauses email sending before SES or a provider has to (docs/send-time-checks.md).
// Pure: the counts come from the reputation store's hourly buckets.

/** The rolling window the rates are computed over: the last 24 hours, in hourly buckets. */
export const REPUTATION_WINDOW_HOURS = 24;
/** Below this many sends in the window the rates say too little to stop a channel. */
export const REPUTATION_MIN_SENDS = 200;
/** Above these rates (fractions of the window's sends) the channel is paused. */
export const MAX_BOUNCE_RATE = 0.05;
export const MAX_COMPLAINT_RATE = 0.001;

export type GuardedChannel = 'email' | 'sms';
export type DeliveryOutcome = 'sent' | 'bounced' | 'complained';

export interface OutcomeCounts {
  sent: number;
  bounced: number;
  complained: number;
}

export const NO_COUNTS: OutcomeCounts = { sent: 0, bounced: 0, complained: 0 };

/** Whether a channel may send: `paused` from the moment the guard tripped until an operator resumes it. */
export interface SendingState {
  channel: GuardedChannel;
  paused: boolean;
  /** Why: the rate that tripped it, e.g. `bounce rate 6.0 % over 24 h (12 of 200 sends)`. */
  reason?: string;
  pausedAt?: string;
  resumedAt?: string;
  /** Counts of the window's buckets at the last resume: the guard judges only what came after. */
  forgiven?: Record<string, OutcomeCounts>;
}

/** The bucket an instant falls in: its UTC hour, `YYYY-MM-DDTHH`. */
export const hourBucket = (at: string | Date): string => new Date(at).toISOString().slice(0, 13);

/** The buckets of the window ending at `now`, oldest first (24 of them, the current hour last). */
export function windowBuckets(now: Date): string[] {
  const hour = 3_600_000;
  const last = Math.floor(now.getTime() / hour) * hour;
  return Array.from({ length: REPUTATION_WINDOW_HOURS }, (_, i) =>
    hourBucket(new Date(last - (REPUTATION_WINDOW_HOURS - 1 - i) * hour)),
  );
}

/** The window's counts, less what a resume forgave. */
export function windowCounts(
  buckets: ReadonlyMap<string, OutcomeCounts>,
  forgiven: Record<string, OutcomeCounts> | undefined,
): OutcomeCounts {
  const total = { ...NO_COUNTS };
  for (const [bucket, c] of buckets) {
    const f = forgiven?.[bucket] ?? NO_COUNTS;
    total.sent += Math.max(0, c.sent - f.sent);
    total.bounced += Math.max(0, c.bounced - f.bounced);
    total.complained += Math.max(0, c.complained - f.complained);
  }
  return total;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(rate < 0.01 ? 2 : 1)} %`;

/** Why the channel must pause, or undefined while its rates are within bounds (or volume too low). */
export function tripReason(counts: OutcomeCounts): string | undefined {
  if (counts.sent < REPUTATION_MIN_SENDS) return undefined;
  const bounce = counts.bounced / counts.sent;
  if (bounce > MAX_BOUNCE_RATE)
    return `bounce rate ${percent(bounce)} over ${REPUTATION_WINDOW_HOURS} h (${counts.bounced} of ${counts.sent} sends) is above ${percent(MAX_BOUNCE_RATE)}`;
  const complaint = counts.complained / counts.sent;
  if (complaint > MAX_COMPLAINT_RATE)
    return `complaint rate ${percent(complaint)} over ${REPUTATION_WINDOW_HOURS} h (${counts.complained} of ${counts.sent} sends) is above ${percent(MAX_COMPLAINT_RATE)}`;
  return undefined;
}
