// Per-partner token buckets for the webhook endpoint. In memory: locally one process serves
// everything; in the cloud API Gateway usage plans throttle before the Lambda and this bucket only
// bounds a single warm instance.
import type { Admission } from '../../usecases/webhooks/accept-webhook.js';

export interface RateLimit {
  /** Sustained requests per second per partner. */
  ratePerSecond: number;
  /** Requests a partner may send at once after being idle. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { ratePerSecond: 20, burst: 40 };

export class PartnerRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit = DEFAULT_RATE_LIMIT) {}

  /** Takes one token from the partner's bucket at `nowMs` (any clock, as long as it does not go back much). */
  take(partnerId: string, nowMs: number): Admission {
    const bucket = this.buckets.get(partnerId) ?? { tokens: this.limit.burst, at: nowMs };
    // A clock that steps back (the fake clock of tests, NTP) refills nothing rather than draining.
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.limit.ratePerSecond);
    bucket.at = Math.max(bucket.at, nowMs);
    this.buckets.set(partnerId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.ratePerSecond)),
    };
  }
}
