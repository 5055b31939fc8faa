import type { Booking, RateSchedule } from '../../../shared/ports/rate-budget.js';

/** The shared schedule in memory: one instance stands for the table every sender shares. */
export class MemoryRateSchedule implements RateSchedule {
  readonly nextAt = new Map<string, number>();
  bookings = 0;

  async book(channel: string, now: number, intervalMs: number, horizon: number): Promise<Booking> {
    const next = this.nextAt.get(channel);
    if (next !== undefined && next >= horizon) return { retryAt: next - (horizon - now) };
    const sendAt = next !== undefined && next > now ? next : now;
    this.nextAt.set(channel, sendAt + intervalMs);
    this.bookings += 1;
    return { sendAt };
  }
}
