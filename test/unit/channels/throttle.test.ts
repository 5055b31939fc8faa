import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidThrottleOptionError,
  SendQuotaUnavailableError,
  sesMaxSendRate,
  type TimerClock,
  TokenBucket,
  throttled,
  withRetry,
} from '../../../shared/channels/throttle.js';
import type { SendResult } from '../../../shared/ports/channels.js';

/** Virtual time: sleeping advances the clock at once, so spacing is observable without waiting. */
class FakeClock implements TimerClock {
  t = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

const throttledResult: SendResult = { ok: false, retryable: true, error: 'ThrottlingException: slow down' };
const rejected: SendResult = { ok: false, retryable: false, error: 'MessageRejected: no' };
const sent = (id: string): SendResult => ({ ok: true, providerMessageId: id });

/** Answers from a script, recording each call. */
const scripted = (results: SendResult[]) => {
  const calls: number[] = [];
  const fn = async (attempt: number): Promise<SendResult> => {
    calls.push(attempt);
    const next = results[Math.min(calls.length - 1, results.length - 1)];
    if (next === undefined) throw new Error('empty script');
    return next;
  };
  return { fn, calls };
};

describe('TokenBucket', () => {
  it('lets a full bucket burst, then spaces acquisitions at the rate', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 2, clock });
    const at: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      await bucket.acquire();
      at.push(clock.now());
    }
    expect(at).toEqual([0, 0, 500, 1000, 1500, 2000]);
  });

  it('serves concurrent callers in order, one token each', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, clock });
    const order: [number, number][] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => bucket.acquire().then(() => order.push([i, clock.now()]))),
    );
    // Capacity defaults to one second's worth (4): four at once, then one every 250 ms.
    expect(order).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 250],
      [5, 500],
    ]);
  });

  it('refills with elapsed time but never beyond capacity', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 2, clock });
    await bucket.acquire();
    await bucket.acquire();
    clock.t += 60_000;
    await bucket.acquire();
    await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
    await bucket.acquire();
    expect(clock.sleeps).toEqual([1000]);
  });

  it('handles rates below one per second', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 0.5, clock });
    await bucket.acquire();
    await bucket.acquire();
    expect(clock.now()).toBe(2000);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(InvalidThrottleOptionError);
    expect(() => new TokenBucket({ ratePerSecond: Number.NaN })).toThrow(InvalidThrottleOptionError);
    expect(() => new TokenBucket({ ratePerSecond: 5, capacity: 0.5 })).toThrow(InvalidThrottleOptionError);
  });
});

describe('withRetry', () => {
  it('retries a throttled send with full-jitter backoff, then returns the success', async () => {
    const { fn, calls } = scripted([throttledResult, throttledResult, sent('m-1')]);
    const delays: number[] = [];
    const result = await withRetry(fn, {
      attempts: 5,
      baseMs: 100,
      maxMs: 10_000,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(result).toEqual(sent('m-1'));
    expect(calls).toEqual([1, 2, 3]);
    // Half of the exponential ceiling: 100, 200.
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after N attempts with the last failure, capping the delay at maxMs', async () => {
    const { fn, calls } = scripted([throttledResult]);
    const delays: number[] = [];
    const result = await withRetry(fn, {
      attempts: 6,
      baseMs: 100,
      maxMs: 500,
      random: () => 0.999,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(result).toEqual(throttledResult);
    expect(calls).toEqual([1, 2, 3, 4, 5, 6]);
    expect(delays).toEqual([99, 199, 399, 499, 499]);
  });

  it('does not retry a permanent failure', async () => {
    const { fn, calls } = scripted([rejected, sent('never')]);
    const result = await withRetry(fn, { attempts: 5, baseMs: 1, maxMs: 1, sleep: async () => {} });
    expect(result).toEqual(rejected);
    expect(calls).toEqual([1]);
  });

  it('refuses fewer than one attempt', async () => {
    const { fn } = scripted([sent('x')]);
    await expect(withRetry(fn, { attempts: 0, baseMs: 1, maxMs: 1 })).rejects.toThrow(
      InvalidThrottleOptionError,
    );
  });
});

describe('throttled', () => {
  it('takes a token for every attempt, retries included', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock });
    const results = [throttledResult, sent('m-9')];
    const seen: { to: string; at: number }[] = [];
    const inner = {
      send: async (message: { to: string }): Promise<SendResult> => {
        seen.push({ to: message.to, at: clock.now() });
        return results[seen.length - 1] ?? rejected;
      },
    };
    const sender = throttled(inner, bucket, {
      attempts: 3,
      baseMs: 0,
      maxMs: 0,
      sleep: (ms) => clock.sleep(ms),
    });
    expect(await sender.send({ to: 'a@example.com' })).toEqual(sent('m-9'));
    expect(seen).toEqual([
      { to: 'a@example.com', at: 0 },
      { to: 'a@example.com', at: 1000 },
    ]);
  });
});

describe('sesMaxSendRate', () => {
  const ses = mockClient(SESv2Client);
  beforeEach(() => {
    ses.reset();
  });

  it('reads SendQuota.MaxSendRate from GetAccount', async () => {
    ses.on(GetAccountCommand).resolves({ SendQuota: { MaxSendRate: 14, Max24HourSend: 50_000 } });
    expect(await sesMaxSendRate(new SESv2Client({ region: 'eu-west-1' }))).toBe(14);
  });

  it('fails with a typed error when the quota is missing', async () => {
    ses.on(GetAccountCommand).resolves({});
    await expect(sesMaxSendRate(new SESv2Client({ region: 'eu-west-1' }))).rejects.toThrow(
      SendQuotaUnavailableError,
    );
  });
});
