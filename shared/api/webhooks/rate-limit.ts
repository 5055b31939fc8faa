// Token buckets for the webhook endpoint, in memory: locally one process serves everything; in the
// cloud API Gateway usage plans throttle before the Lambda and these only bound one warm instance.
// Two kinds, so that nobody can spend a partner's allowance: a bucket per VERIFIED partner, taken
// only after the signature checked out, and failure buckets (per client address and one per
// instance) that only requests failing verification draw from. A flood of unsigned requests thus
// never makes a partner's genuine request 429, and is answered alike whatever partner id it names.
import type { Admission } from '../../usecases/webhooks/accept-webhook.js';

export interface RateLimit {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests that may come at once after being idle. */
  burst: number;
}

/** Per verified partner. */
export const DEFAULT_RATE_LIMIT: RateLimit = { ratePerSecond: 20, burst: 40 };

export interface FailureLimit {
  /** Failed verifications per client address (the socket's, or API Gateway's sourceIp). */
  perClient: RateLimit;
  /** Failed verifications per API instance, whatever their address: bounds a distributed flood. */
  perInstance: RateLimit;
}

export const DEFAULT_FAILURE_LIMIT: FailureLimit = {
  perClient: { ratePerSecond: 2, burst: 20 },
  perInstance: { ratePerSecond: 20, burst: 200 },
};

/** Keys kept at most per limiter; the least recently refilled goes first (a full bucket, most likely). */
const MAX_KEYS = 10_000;

/** One token bucket per key. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  private refill(key: string, nowMs: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    // A clock that steps back (the fake clock of tests, NTP) refills nothing rather than draining.
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.limit.ratePerSecond);
    bucket.at = Math.max(bucket.at, nowMs);
    this.buckets.delete(key);
    while (this.buckets.size >= MAX_KEYS) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Whether `key` has a token at `nowMs`, without taking it. */
  has(key: string, nowMs: number): boolean {
    return this.refill(key, nowMs).tokens >= 1;
  }

  /** Takes one token from `key`'s bucket at `nowMs` (any clock, as long as it does not go back much). */
  take(key: string, nowMs: number): Admission {
    const bucket = this.refill(key, nowMs);
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

/** Per-partner buckets: taken only for requests whose signature verified. */
export class PartnerRateLimiter extends TokenBuckets {
  constructor(limit: RateLimit = DEFAULT_RATE_LIMIT) {
    super(limit);
  }
}

const INSTANCE = '*';

/** Failed verifications: a bucket per client address and one for the whole instance. */
export class FailureLimiter {
  private readonly perClient: TokenBuckets;
  private readonly perInstance: TokenBuckets;

  constructor(limit: FailureLimit = DEFAULT_FAILURE_LIMIT) {
    this.perClient = new TokenBuckets(limit.perClient);
    this.perInstance = new TokenBuckets(limit.perInstance);
  }

  /**
   * Whether `client` is within its own failure budget, so that its request may cost a store read of
   * a partner id this instance has not seen. The instance's budget is not asked: a flood from many
   * addresses must not stop partners elsewhere from being read.
   */
  within(client: string, nowMs: number): boolean {
    return this.perClient.has(client, nowMs);
  }

  /**
   * Counts one failed verification. Not ok: answer 429 rather than 401. A client over its own
   * budget does not draw on the instance's, so one noisy client cannot exhaust it for the others.
   */
  take(client: string, nowMs: number): Admission {
    const own = this.perClient.take(client, nowMs);
    return own.ok ? this.perInstance.take(INSTANCE, nowMs) : own;
  }
}
