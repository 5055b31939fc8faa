// Polling a run with backoff and a deadline (console/src/pages/calendar/poll.ts), on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextDelay, type PollOptions, pollUntil } from '../../../console/src/pages/calendar/poll.js';

const options: PollOptions = {
  firstDelayMs: 1000,
  maxDelayMs: 5000,
  factor: 1.5,
  deadlineMs: 20_000,
  now: () => Date.now(),
};

const handlers = () => ({ update: vi.fn(), finish: vi.fn(), timeout: vi.fn(), error: vi.fn() });

describe('pollUntil', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('backs off 1 s, 1.5 s, 2.25 s … up to 5 s', () => {
    const delays = [options.firstDelayMs];
    for (let i = 0; i < 6; i++) delays.push(nextDelay(delays.at(-1) ?? 0, options));
    expect(delays).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
  });

  it('checks at the backoff times and stops at the first answer that is done', async () => {
    const answers = ['RUNNING', 'RUNNING', 'SUCCEEDED'];
    const at: number[] = [];
    const check = vi.fn(async () => {
      at.push(Date.now());
      return answers.shift() ?? 'SUCCEEDED';
    });
    const h = handlers();
    pollUntil(check, (s) => s !== 'RUNNING', h, options);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(at).toEqual([1000, 2500, 4750]);
    expect(h.update).toHaveBeenCalledTimes(3);
    expect(h.finish).toHaveBeenCalledExactlyOnceWith('SUCCEEDED');
    expect(h.timeout).not.toHaveBeenCalled();
  });

  it('gives up at the deadline and says so', async () => {
    const check = vi.fn(async () => 'RUNNING');
    const h = handlers();
    pollUntil(check, (s) => s !== 'RUNNING', h, options);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.timeout).toHaveBeenCalledOnce();
    expect(h.finish).not.toHaveBeenCalled();
    // 1, 2.5, 4.75, 8.125, 13.125, 18.125, then the rest of the deadline: 20 s.
    expect(check).toHaveBeenCalledTimes(7);
  });

  it('stops on a failed check', async () => {
    const h = handlers();
    pollUntil(
      async () => Promise.reject(new Error('HTTP 500')),
      () => false,
      h,
      options,
    );
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.error).toHaveBeenCalledOnce();
    expect(h.timeout).not.toHaveBeenCalled();
  });

  it('checks nothing more once stopped (the page unmounted)', async () => {
    const check = vi.fn(async () => 'RUNNING');
    const h = handlers();
    const stop = pollUntil(check, () => false, h, options);
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledOnce();
    expect(h.timeout).not.toHaveBeenCalled();
  });
});
