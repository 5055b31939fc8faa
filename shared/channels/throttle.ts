// Keeps sends under the provider's rate (a token bucket per channel) and retries throttled sends
// with exponential backoff and full jitter, so parallel batches spread out instead of retrying in step.
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
  for (let attempt = 1; attempt < attempts && !result.ok && result.retryable; attempt += 1) {
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

/** Every attempt, retries included, takes a token: a retry is a request the provider counts. */
export const throttled = <M>(sender: Sender<M>, limiter: RateLimiter, retry: RetryOptions): Sender<M> => ({
  send: (message) =>
    withRetry(async () => {
      await limiter.acquire();
      return sender.send(message);
    }, retry),
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
