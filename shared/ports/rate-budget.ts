// The send rate shared by every sender of a channel (each send-batch instance of every execution,
// and the API's test-send): one booking sheet of send times per channel, where all of them see it.

export type Booking =
  /** The caller holds the send time `sendAt` (epoch ms) alone: it may send from then on. */
  | { sendAt: number }
  /** Every time up to the horizon is booked: ask again at `retryAt` (epoch ms). */
  | { retryAt: number };

export interface RateSchedule {
  /**
   * Books the next free send time of `channel` at or after `now`, `intervalMs` after the one booked
   * before it, unless that time is `horizon` or later.
   */
  book(channel: string, now: number, intervalMs: number, horizon: number): Promise<Booking>;
}
