// Each verified partner's webhook throttle, shared by every API instance: a booking schedule in the
// table (the same GCRA the channels' send rate uses, shared/store/rate-budget.ts), so the rate is
// the partner's whatever number of Lambda instances (or the one local process) answer it.
import type { RateSchedule } from '../../ports/rate-budget.js';
import type { Admission } from './accept-webhook.js';

export interface PartnerRate {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests that may come at once after being idle. */
  burst: number;
}

export interface PartnerThrottle {
  /** Takes one request of `partnerId` at `nowMs`; not ok: answer 429 with Retry-After. */
  take(partnerId: string, nowMs: number): Promise<Admission>;
}

/** The schedule's key of a partner: apart from the channels' (`email`, `sms`). */
export const partnerRateKey = (partnerId: string): string => `webhook#${partnerId}`;

export class ScheduledPartnerThrottle implements PartnerThrottle {
  constructor(
    private readonly schedule: RateSchedule,
    private readonly rate: PartnerRate,
  ) {}

  async take(partnerId: string, nowMs: number): Promise<Admission> {
    const interval = 1000 / this.rate.ratePerSecond;
    // Up to `burst` requests may be booked ahead of now: the token bucket's capacity.
    const booking = await this.schedule.book(
      partnerRateKey(partnerId),
      nowMs,
      interval,
      nowMs + this.rate.burst * interval,
    );
    if ('sendAt' in booking) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((booking.retryAt - nowMs) / 1000)) };
  }
}
