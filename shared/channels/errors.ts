// One place decides which provider failures are worth another attempt, so SES and SMS agree.
import type { SendResult } from '../ports/channels.js';

/** Error names both providers use for "slow down" or "try again later". */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'SlowDown',
  'InternalServiceErrorException',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

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
  const retryable =
    RETRYABLE_NAMES.has(name) ||
    // The SDK marks errors its own retry strategy would retry (throttling, transient).
    ('$retryable' in error && Boolean(error.$retryable)) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    (code !== undefined && NOT_SENT_CODES.has(code));
  const label = status === undefined ? name : `${name} (${status})`;
  return { ok: false, retryable, error: message ? `${label}: ${message}` : label };
};
