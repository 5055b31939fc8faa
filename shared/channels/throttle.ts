// Keeps sends under the provider's rate (a limiter per channel: the shared budget of rate-budget.ts
// in the cloud, a token bucket where one process sends alone) and retries throttled sends with
// exponential backoff and full jitter, so parallel batches spread out instead of retrying in step;
// a message with a window end keeps retrying until its window closes.
import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { SendResult } from '../ports/channels.js';

/** Monotonic milliseconds and a way to wait; tests pass a virtual clock so nothing really waits. */
export interface TimerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const sleepWithTimer = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export const realTimerClock: TimerClock = { now: () => performance.now(), sleep: sleepWithTimer };

export class InvalidThrottleOptionError extends Error {
  override readonly name = 'InvalidThrottleOptionError';
}

export class SendQuotaUnavailableError extends Error {
  override readonly name = 'SendQuotaUnavailableError';
}

export interface TokenBucketOptions {
  /** Sustained sends per second: SES SendQuota.MaxSendRate, or the SMS origination MPS. */
  ratePerSecond: number;
  /** Largest burst; one second's worth by default (at least one token). */
  capacity?: number;
  clock?: TimerClock;
}

export interface RateLimiter {
  acquire(): Promise<void>;
}

export class TokenBucket implements RateLimiter {
  readonly ratePerSecond: number;
  readonly capacity: number;
  readonly #clock: TimerClock;
  #tokens: number;
  #updatedAt: number;
  /** Callers are served in arrival order; each waits for the one before it. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond } = options;
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new InvalidThrottleOptionError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    const capacity = options.capacity ?? Math.max(1, Math.floor(ratePerSecond));
    if (!(Number.isFinite(capacity) && capacity >= 1)) {
      throw new InvalidThrottleOptionError(`capacity must be at least 1, got ${capacity}`);
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.#clock = options.clock ?? realTimerClock;
    this.#tokens = capacity;
    this.#updatedAt = this.#clock.now();
  }

  /** Resolves when one send may go out. */
  acquire(): Promise<void> {
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1000));
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsedMs = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsedMs * this.ratePerSecond) / 1000);
    this.#updatedAt = now;
  }
}

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** In [0, 1); Math.random by default. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Asked once the attempts are used up: true while another retry may still be worth it (the send
   * window is open). Throttling is not the touch's fault, so it waits for the window, not a count.
   */
  keepGoing?: () => boolean;
}

/** Calls `fn` until it succeeds, fails for good, or runs out of attempts; returns the last result. */
export const withRetry = async (
  fn: (attempt: number) => Promise<SendResult>,
  options: RetryOptions,
): Promise<SendResult> => {
  const { attempts, baseMs, maxMs } = options;
  if (!(Number.isInteger(attempts) && attempts >= 1)) {
    throw new InvalidThrottleOptionError(`attempts must be an integer of at least 1, got ${attempts}`);
  }
  if (!(baseMs >= 0 && maxMs >= 0)) {
    throw new InvalidThrottleOptionError(`baseMs and maxMs must not be negative, got ${baseMs} and ${maxMs}`);
  }
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepWithTimer;
  let result = await fn(1);
  const more = (attempt: number) => attempt < attempts || (options.keepGoing?.() ?? false);
  for (let attempt = 1; !result.ok && result.retryable && more(attempt); attempt += 1) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    await sleep(Math.floor(random() * ceiling));
    result = await fn(attempt + 1);
  }
  return result;
};

/** Any channel's sender: EmailSender and SmsSender both fit. */
export interface Sender<M> {
  send(message: M): Promise<SendResult>;
}

export interface WindowRetryOptions extends RetryOptions {
  /**
   * How long one message keeps retrying a throttled send inside its window (`notAfter`), in all: a
   * batch must end before its Lambda's timeout. Without it (or without `notAfter`), `attempts` rules.
   */
  retryWithinWindowMs?: number;
  /** Epoch ms; Date.now by default. */
  now?: () => number;
}

/**
 * Every attempt, retries included, takes a token: a retry is a request the provider counts. A message
 * with a window end (`notAfter`) keeps retrying throttled sends until the window closes (or
 * `retryWithinWindowMs` runs out), not just `attempts` times. The window end itself is checked at
 * the provider call by windowGuarded (window-guard.ts), wrapped inside: no attempt goes out after it.
 */
export const throttled = <M extends object>(
  sender: Sender<M>,
  limiter: RateLimiter,
  retry: WindowRetryOptions,
): Sender<M> => ({
  send: (message) => {
    const now = retry.now ?? Date.now;
    const notAfter: unknown = Reflect.get(message, 'notAfter');
    const windowEnd = typeof notAfter === 'string' ? Date.parse(notAfter) : Number.NaN;
    const giveUpAt = Math.min(windowEnd, now() + (retry.retryWithinWindowMs ?? 0));
    return withRetry(
      async () => {
        await limiter.acquire();
        return sender.send(message);
      },
      Number.isNaN(giveUpAt) ? retry : { ...retry, keepGoing: () => now() < giveUpAt },
    );
  },
});

/** The account's SES send rate (messages per second), for the email bucket. */
export const sesMaxSendRate = async (client: SESv2Client): Promise<number> => {
  const account = await client.send(new GetAccountCommand({}));
  const rate = account.SendQuota?.MaxSendRate;
  if (rate === undefined || !(rate > 0)) {
    throw new SendQuotaUnavailableError('SES GetAccount returned no positive SendQuota.MaxSendRate');
  }
  return rate;
};
