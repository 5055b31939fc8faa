// Standard Webhooks verification against every secret a partner currently has (the current one and
// those in their rollover window). The timestamp is checked against our clock port, not the
// library's Date.now(), so tests can move time; the HMAC itself is the library's `sign`.
import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { MAX_WEBHOOK_ID_BYTES } from '../../domain/limits.js';

/** The Standard Webhooks tolerance: a message more than 5 minutes off our clock is refused. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type VerifyFailure =
  | 'missing-headers'
  | 'invalid-webhook-id'
  | 'invalid-timestamp'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'no-matching-signature';

export type Verification = { ok: true; webhookId: string } | { ok: false; reason: VerifyFailure };

const sameBytes = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function verifyWebhook(input: {
  secrets: readonly string[];
  headers: WebhookHeaders;
  payload: string;
  now: Date;
  toleranceMs?: number;
}): Verification {
  const { id, timestamp, signature } = input.headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing-headers' };
  // Printable ASCII, so its length is its size in bytes: it becomes part of the receipt's table key.
  if (id.length > MAX_WEBHOOK_ID_BYTES || !/^[\x21-\x7e]+$/.test(id))
    return { ok: false, reason: 'invalid-webhook-id' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid-timestamp' };
  const sentAt = Number(timestamp) * 1000;
  const tolerance = input.toleranceMs ?? TIMESTAMP_TOLERANCE_MS;
  if (input.now.getTime() - sentAt > tolerance) return { ok: false, reason: 'timestamp-too-old' };
  if (sentAt - input.now.getTime() > tolerance) return { ok: false, reason: 'timestamp-too-new' };
  // The header may carry several space-separated signatures (a sender mid-rotation); any v1 match wins.
  const offered = signature
    .split(' ')
    .map((s) => s.split(','))
    .filter(([version, value]) => version === 'v1' && value !== undefined)
    .map(([, value]) => value ?? '');
  for (const secret of input.secrets) {
    const expected = new Webhook(secret).sign(id, new Date(sentAt), input.payload);
    const value = expected.slice(expected.indexOf(',') + 1);
    if (offered.some((o) => sameBytes(o, value))) return { ok: true, webhookId: id };
  }
  return { ok: false, reason: 'no-matching-signature' };
}
