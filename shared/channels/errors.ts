// One place decides which provider failures are worth another attempt, so SES and SMS agree:
// throttling (429) and refused connections are retried, a definite refusal (4xx) is `failed`, and a
// 5xx or a timeout, after which the message may have been accepted, is `maybeSent` (settled `unknown`).
import type { SendResult } from '../ports/channels.js';

/** Error names both providers use for "slow down": the request was refused, nothing was sent. */
const THROTTLED_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'SlowDown',
]);

/** Timeouts and resets: the request may have reached the provider and the message be on its way. */
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);
const MAYBE_SENT_NAMES = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * Socket errors raised before any byte reached the provider: nothing can have been sent, so a retry
 * cannot duplicate. Timeouts and resets are left out on purpose — the message may already be on its way.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type Failure = Extract<SendResult, { ok: false }>;

const statusOf = (e: object): number | undefined => {
  if (!('$metadata' in e) || typeof e.$metadata !== 'object' || e.$metadata === null) return undefined;
  const meta = e.$metadata;
  return 'httpStatusCode' in meta && typeof meta.httpStatusCode === 'number'
    ? meta.httpStatusCode
    : undefined;
};

const stringField = (e: object, field: string): string | undefined => {
  const value: unknown = Reflect.get(e, field);
  return typeof value === 'string' ? value : undefined;
};

/** Maps anything an SDK `send` throws to a failed SendResult. */
export const failureFrom = (error: unknown): Failure => {
  if (typeof error !== 'object' || error === null) {
    return { ok: false, retryable: false, error: String(error) };
  }
  const name = stringField(error, 'name') ?? 'Error';
  const message = stringField(error, 'message') ?? '';
  const code = stringField(error, 'code');
  const status = statusOf(error);
  const throttling =
    THROTTLED_NAMES.has(name) ||
    status === 429 ||
    // The SDK marks throttling errors its own retry strategy would retry.
    ('$retryable' in error &&
      typeof error.$retryable === 'object' &&
      error.$retryable !== null &&
      'throttling' in error.$retryable &&
      error.$retryable.throttling === true);
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  // A 5xx, a timeout or a reset after the request left: the provider may have accepted the message,
  // so it is neither retried (that could send it twice) nor called failed (DESIGN decision 2).
  const maybeSent =
    !throttling &&
    !notSent &&
    ((status !== undefined && status >= 500) ||
      (code !== undefined && MAYBE_SENT_CODES.has(code)) ||
      MAYBE_SENT_NAMES.has(name));
  const retryable = throttling || notSent;
  const label = status === undefined ? name : `${name} (${status})`;
  const text = message ? `${label}: ${message}` : label;
  return maybeSent ? { ok: false, retryable, error: text, maybeSent } : { ok: false, retryable, error: text };
};
