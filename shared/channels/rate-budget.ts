// One send rate across every sender of a channel. A token bucket per Lambda instance holds the rate
// only while one instance sends: the Map runs up to sendConcurrency batches at once and two
// executions can overlap, so per-instance buckets add up (8 instances → 8× the rate). Here every
// send books its own send time on one shared schedule per channel (GCRA: a conditional update of
// the channel's next free time in DynamoDB) and waits for it, so all senders together go out
// evenly at the configured rate and never above it, however many instances there are.
// Why not "rate ÷ max concurrency" per instance: it wastes the rate whenever fewer batches are in
// flight (one zone's batch alone would send at a quarter of the rate), and capping the send
// function's concurrency makes a second execution's invokes fail with throttling instead of wait.
import type { RateSchedule } from '../ports/rate-budget.js';
import { InvalidThrottleOptionError, type RateLimiter, type TimerClock } from './throttle.js';

const sleepWithTimer = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Epoch milliseconds: the schedule is shared between machines, so their clock must be too (NTP). */
export const wallTimerClock: TimerClock = { now: () => Date.now(), sleep: sleepWithTimer };

/** How far ahead a sender may book: a short queue, so a booked time is never far past a window's end. */
export const BOOKING_HORIZON_MS = 2_000;

/**
 * Sends are spaced for 98 % of the configured rate: the 2 % is the room for what no schedule controls
 * (timers firing a few ms late, clock skew between instances), so a second never holds more than
 * the configured number of sends.
 */
export const RATE_HEADROOM = 0.98;

/** A booked time this far past when the caller could send (a slow write, a late timer) is given up, not sent late. */
export const LATE_BOOKING_MS = 20;
const MAX_LATE_BOOKINGS = 5;
/** The longest a sender books ahead of its clock: a slow store makes the queue no longer than this. */
const MAX_LEAD_MS = 500;

export interface SharedRateBudgetOptions {
  /** The schedule's name: `email`, `sms` (one per provider quota). */
  channel: string;
  /** The configured rate: SES SendQuota.MaxSendRate, or the SMS origination MPS. */
  ratePerSecond: number;
  schedule: RateSchedule;
  /** Epoch ms (wallTimerClock by default). */
  clock?: TimerClock;
}

export class SharedRateBudget implements RateLimiter {
  /**
   * Milliseconds between two sends, with headroom: below the setting, never above. Not rounded to a
   * whole millisecond: rounding up cost 4.8 % of the rate at 30/s (35 ms for 34.01) and half of it at
   * 1,000/s (2 ms for 1.02). DynamoDB numbers and timers take fractions.
   */
  readonly intervalMs: number;
  readonly #channel: string;
  readonly #schedule: RateSchedule;
  readonly #clock: TimerClock;
  #leadMs = LATE_BOOKING_MS;

  constructor(options: SharedRateBudgetOptions) {
    const { ratePerSecond } = options;
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new InvalidThrottleOptionError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    this.intervalMs = 1000 / (ratePerSecond * RATE_HEADROOM);
    this.#channel = options.channel;
    this.#schedule = options.schedule;
    this.#clock = options.clock ?? wallTimerClock;
  }

  /** Resolves at a send time this caller holds alone. */
  async acquire(): Promise<void> {
    for (let late = 0; ; ) {
      // Booked ahead by the last round trip, so the booking is back before the time it holds.
      const asked = this.#clock.now();
      const now = asked + this.#leadMs;
      const booking = await this.#schedule.book(
        this.#channel,
        now,
        this.intervalMs,
        now + Math.max(BOOKING_HORIZON_MS, 2 * this.intervalMs),
      );
      if ('sendAt' in booking) {
        const answered = this.#clock.now();
        this.#leadMs = Math.min(MAX_LEAD_MS, Math.max(LATE_BOOKING_MS, answered - asked + LATE_BOOKING_MS));
        // Sent late, it would crowd the next sender's time: that slot is lost, book another (a few
        // times: a machine that is late every time still sends, a little bunched, rather than never).
        const wait = booking.sendAt - answered;
        if (wait < -LATE_BOOKING_MS && late++ < MAX_LATE_BOOKINGS) continue;
        // Until the booked time, however early the timer fires: Node dates a timer from the event
        // loop's cached time, which is behind the clock by however long the current tick has run.
        for (let left = wait; left > 0; left = booking.sendAt - this.#clock.now())
          await this.#clock.sleep(left);
        // The same for a timer that fired late (a busy event loop).
        if (this.#clock.now() - booking.sendAt > LATE_BOOKING_MS && late++ < MAX_LATE_BOOKINGS) continue;
        return;
      }
      await this.#clock.sleep(Math.max(1, booking.retryAt - this.#clock.now()));
    }
  }
}
