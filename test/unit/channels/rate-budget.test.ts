// Item 7 of issue 10: one send rate across every instance that sends. Time is virtual: sleeps are
// timers a scheduler fires in order, so eight "Lambda instances" interleave as they would for real
// and every provider call is stamped with its virtual time.
import { describe, expect, it } from 'vitest';
import { LATE_BOOKING_MS, SharedRateBudget } from '../../../shared/channels/rate-budget.js';
import {
  type RateLimiter,
  type TimerClock,
  TokenBucket,
  throttled,
  type WindowRetryOptions,
} from '../../../shared/channels/throttle.js';
import { windowGuarded } from '../../../shared/channels/window-guard.js';
import type { SendResult } from '../../../shared/ports/channels.js';
import { MemoryRateSchedule } from '../../support/fakes/memory-rate-budget.js';

const START = Date.parse('2027-01-11T09:00:00.000Z');

class VirtualTime implements TimerClock {
  t = START;
  readonly #timers: { at: number; seq: number; fire: () => void }[] = [];
  #seq = 0;
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((fire) => {
      this.#timers.push({ at: this.t + Math.max(0, ms), seq: this.#seq++, fire });
    });
  }
  /** Runs `work` to its end, firing timers in time order whenever nothing else can run. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    for (let steps = 0; !done; steps++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (done) break;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift();
      if (!next || steps > 1_000_000) throw new Error('virtual time: nothing left to wake');
      this.t = Math.max(this.t, next.at);
      next.fire();
    }
    return settled;
  }
}

/** A provider that takes `latencyMs` per call and stamps each call with its (virtual) time. */
const recordingProvider = (
  clock: VirtualTime,
  calls: number[],
  latencyMs: number,
  script?: SendResult[],
) => ({
  send: async (_message: { to: string; notAfter?: string }): Promise<SendResult> => {
    calls.push(clock.now());
    await clock.sleep(latencyMs);
    const scripted = script?.shift();
    return scripted ?? { ok: true, providerMessageId: `m-${calls.length}` };
  },
});

const RETRY: WindowRetryOptions = { attempts: 5, baseMs: 200, maxMs: 5_000, random: () => 0.5 };

/** Most calls in any one-second span [t, t + 1 s) starting at a call. */
const peakPerSecond = (calls: readonly number[]): number => {
  const sorted = [...calls].sort((a, b) => a - b);
  let peak = 0;
  for (const [i, t] of sorted.entries()) {
    let n = 0;
    for (let j = i; j < sorted.length && (sorted[j] ?? Number.POSITIVE_INFINITY) < t + 1000; j++) n++;
    peak = Math.max(peak, n);
  }
  return peak;
};

const achievedRate = (calls: readonly number[]): number => {
  const sorted = [...calls].sort((a, b) => a - b);
  const span = (sorted.at(-1) ?? 0) - (sorted[0] ?? 0);
  return ((sorted.length - 1) * 1000) / span;
};

/**
 * Two executions in flight (yesterday's Americas, today's Asia), each Map at MaxConcurrency 4: eight
 * send-batch instances, each sending its batch one touch after another through its own limiter.
 */
async function dispatch(clock: VirtualTime, limiterFor: (instance: number) => RateLimiter) {
  const calls: number[] = [];
  const instances = Array.from({ length: 8 }, (_, i) =>
    throttled(recordingProvider(clock, calls, 60), limiterFor(i), {
      ...RETRY,
      sleep: (ms) => clock.sleep(ms),
    }),
  );
  await clock.run(
    Promise.all(
      instances.map(async (sender) => {
        for (let n = 0; n < 25; n++) await sender.send({ to: `+1555000${n}` });
      }),
    ),
  );
  return calls;
}

describe('one send rate across instances', () => {
  it('holds the configured rate across two executions of four concurrent batches, where per-instance buckets drove 8x', async () => {
    const rate = 14;
    const naiveClock = new VirtualTime();
    const naive = await dispatch(
      naiveClock,
      () => new TokenBucket({ ratePerSecond: rate, clock: naiveClock }),
    );
    // The old way, for the record: each instance's own bucket lets it send at the full rate.
    expect(peakPerSecond(naive)).toBeGreaterThan(4 * rate);

    const clock = new VirtualTime();
    const schedule = new MemoryRateSchedule();
    const ours = await dispatch(
      clock,
      () => new SharedRateBudget({ channel: 'email', ratePerSecond: rate, schedule, clock }),
    );
    expect(ours).toHaveLength(200);
    expect(peakPerSecond(ours)).toBeLessThanOrEqual(rate);
    const sorted = [...ours].sort((a, b) => a - b);
    for (const [i, t] of sorted.entries())
      if (i > 0) expect(t - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(72);
    expect(achievedRate(ours)).toBeGreaterThanOrEqual(0.95 * rate);
    expect(achievedRate(ours)).toBeLessThanOrEqual(rate);
  });

  it('keeps a fractional rate at or below the setting (0.5/s: one send every 2 s)', async () => {
    const clock = new VirtualTime();
    const schedule = new MemoryRateSchedule();
    const budget = new SharedRateBudget({ channel: 'sms', ratePerSecond: 0.5, schedule, clock });
    const calls: number[] = [];
    const senders = [0, 1, 2].map(() => throttled(recordingProvider(clock, calls, 10), budget, RETRY));
    await clock.run(Promise.all(senders.map((s) => s.send({ to: '+15550001' }))));
    const sorted = [...calls].sort((a, b) => a - b);
    expect(budget.intervalMs).toBeGreaterThanOrEqual(2000);
    const first = START + LATE_BOOKING_MS;
    expect(sorted).toHaveLength(3);
    for (const [i, t] of sorted.entries()) expect(t).toBeCloseTo(first + i * budget.intervalMs, 3);
  });

  it('spaces sends by the exact interval, not a whole millisecond: 98 % of 30/s and of 1,000/s, never above', async () => {
    for (const rate of [30, 1000]) {
      const clock = new VirtualTime();
      const schedule = new MemoryRateSchedule();
      const budget = new SharedRateBudget({ channel: 'email', ratePerSecond: rate, schedule, clock });
      expect(1000 / budget.intervalMs).toBeCloseTo(rate * 0.98, 6);
      const calls: number[] = [];
      // Each sender books 20 ms ahead and waits for its time, so 1,000/s needs more than 20 in flight.
      const senders = Array.from({ length: rate / 10 }, () =>
        throttled(recordingProvider(clock, calls, 0), budget, { ...RETRY, sleep: (ms) => clock.sleep(ms) }),
      );
      await clock.run(
        Promise.all(
          senders.map(async (sender) => {
            for (let n = 0; n < 30; n++) await sender.send({ to: `${n}@example.com` });
          }),
        ),
      );
      expect(calls).toHaveLength(3 * rate);
      expect(peakPerSecond(calls)).toBeLessThanOrEqual(rate);
      expect(achievedRate(calls)).toBeGreaterThanOrEqual(0.97 * rate);
    }
  });

  it('gives up a send time whose booking came back late instead of sending it crowded against the next', async () => {
    const clock = new VirtualTime();
    const inner = new MemoryRateSchedule();
    let slow = 2;
    // The first two bookings take 200 ms (a cold table, a throttled write): their times have passed.
    const schedule = {
      book: async (channel: string, now: number, intervalMs: number, horizon: number) => {
        const booking = await inner.book(channel, now, intervalMs, horizon);
        if (slow-- > 0) await clock.sleep(200);
        return booking;
      },
    };
    const calls: number[] = [];
    const senders = [0, 1, 2, 3].map(() =>
      throttled(
        recordingProvider(clock, calls, 10),
        new SharedRateBudget({ channel: 'email', ratePerSecond: 10, schedule, clock }),
        RETRY,
      ),
    );
    await clock.run(Promise.all(senders.map((s) => s.send({ to: '+15550001' }))));
    const sorted = [...calls].sort((a, b) => a - b);
    expect(sorted).toHaveLength(4);
    for (const [i, t] of sorted.entries())
      if (i > 0) expect(t - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(100);
    expect(inner.bookings).toBe(6);
  });
});

describe('timers that fire early', () => {
  /** Node dates a timer from the loop's cached time: in a busy process it fires up to a tick early. */
  class EarlyTimers extends VirtualTime {
    #n = 0;
    override sleep(ms: number): Promise<void> {
      const early = [0, 12, 3, 9, 6][this.#n++ % 5] ?? 0;
      return super.sleep(ms - Math.min(early, ms / 2));
    }
  }

  it('waits out the rest of a booked time, so early timers never crowd a second above the rate', async () => {
    const clock = new EarlyTimers();
    const schedule = new MemoryRateSchedule();
    const budget = new SharedRateBudget({ channel: 'email', ratePerSecond: 30, schedule, clock });
    const calls = await dispatch(clock, () => budget);
    expect(calls).toHaveLength(200);
    const sorted = [...calls].sort((a, b) => a - b);
    for (const [i, t] of sorted.entries())
      if (i > 0) expect(t - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(budget.intervalMs - 1e-6);
    expect(peakPerSecond(calls)).toBeLessThanOrEqual(30);
  });
});

describe('a slow shared schedule', () => {
  it('books further ahead when every booking takes 300 ms, and still sends every message one interval apart', async () => {
    const clock = new VirtualTime();
    const inner = new MemoryRateSchedule();
    const schedule = {
      book: async (channel: string, now: number, intervalMs: number, horizon: number) => {
        const booking = await inner.book(channel, now, intervalMs, horizon);
        await clock.sleep(300);
        return booking;
      },
    };
    const calls: number[] = [];
    const senders = [0, 1, 2, 3].map(() =>
      throttled(
        recordingProvider(clock, calls, 10),
        new SharedRateBudget({ channel: 'email', ratePerSecond: 10, schedule, clock }),
        RETRY,
      ),
    );
    await clock.run(
      Promise.all(
        senders.map(async (s) => {
          for (let n = 0; n < 5; n++) await s.send({ to: '+15550001' });
        }),
      ),
    );
    const sorted = [...calls].sort((a, b) => a - b);
    expect(sorted).toHaveLength(20);
    for (const [i, t] of sorted.entries())
      if (i > 0) expect(t - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(100);
  });
});

describe('throttled touches retry within their window', () => {
  const throttledByProvider: SendResult = {
    ok: false,
    retryable: true,
    error: 'TooManyRequestsException (429)',
  };

  /** A sender over a provider that throttles `throttles` times, retrying within `retryWithinWindowMs`. */
  function throttledSender(throttles: number, retryWithinWindowMs: number, opts: { guarded?: boolean } = {}) {
    const clock = new VirtualTime();
    const calls: number[] = [];
    const provider = recordingProvider(
      clock,
      calls,
      20,
      Array.from({ length: throttles }, () => throttledByProvider),
    );
    const inner = opts.guarded ? windowGuarded(provider, { now: () => new Date(clock.now()) }) : provider;
    const sender = throttled(inner, new TokenBucket({ ratePerSecond: 14, clock }), {
      ...RETRY,
      sleep: (ms) => clock.sleep(ms),
      now: () => clock.now(),
      retryWithinWindowMs,
    });
    return { clock, calls, sender };
  }

  it('retries a throttled touch until it goes out inside its window, instead of failing after five tries', async () => {
    const { clock, calls, sender } = throttledSender(8, 120_000);
    const notAfter = new Date(START + 3_600_000).toISOString();
    const result = await clock.run(sender.send({ to: '+15550001', notAfter }));
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(9);
    expect(Math.max(...calls)).toBeLessThan(Date.parse(notAfter));
  });

  it('stops retrying a throttled touch when its window closes, and never calls the provider after it', async () => {
    const { clock, calls, sender } = throttledSender(1000, 120_000, { guarded: true });
    const notAfter = new Date(START + 30_000).toISOString();
    const result = await clock.run(sender.send({ to: '+15550001', notAfter }));
    expect(result).toMatchObject({ ok: false, retryable: false, windowClosed: true });
    expect(calls.length).toBeGreaterThan(5);
    expect(Math.max(...calls)).toBeLessThan(Date.parse(notAfter));
  });

  it('gives up a throttled touch after its retry budget so the batch ends before the Lambda timeout', async () => {
    const { clock, sender } = throttledSender(1000, 60_000);
    const notAfter = new Date(START + 3_600_000).toISOString();
    const result = await clock.run(sender.send({ to: '+15550001', notAfter }));
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(clock.now() - START).toBeLessThan(60_000 + RETRY.maxMs + 1_000);
  });
});
