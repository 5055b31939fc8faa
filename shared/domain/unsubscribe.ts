// One-click unsubscribe links (RFC 8058): `<base>/u/<token>`. The token is the customer, channel,
// topic and issue time, encrypted and authenticated with AES-256-GCM under a key derived from the
// stack-generated secret: nobody can forge or alter one (the tag fails), and nothing in it is
// readable without the key (the customer id is not in the link). docs/consent.md states the format.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { type Channel, channel } from './channels.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Longer than any token a valid id and topic make (ids are bounded, docs/limits.md): refused unread. */
export const MAX_TOKEN_CHARS = 1024;
/**
 * A link opts out for good: it never expires for that. Opting back in (resubscribe, a topic back on)
 * through a link is accepted this long after the message was sent, so an old forwarded email cannot
 * resubscribe someone years later.
 */
export const RESUBSCRIBE_LINK_DAYS = 90;

export interface UnsubscribeSubject {
  customerId: string;
  channel: Channel;
  /** The campaign's topic (its `category`, else its id). */
  topic: string;
  /** When the link was made (ISO instant): the message's send time. */
  issuedAt: string;
}

const payloadSchema = z.tuple([
  z.literal(VERSION),
  z.string().min(1),
  channel,
  z.string().min(1),
  z.number().int(),
]);

const keyOf = (secret: string): Buffer =>
  createHash('sha256').update('touchpoint/unsubscribe-token/v1\u0000').update(secret).digest();

export function signUnsubscribeToken(secret: string, s: UnsubscribeSubject): string {
  const payload = JSON.stringify([
    VERSION,
    s.customerId,
    s.channel,
    s.topic,
    Math.floor(Date.parse(s.issuedAt) / 1000),
  ]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

export type TokenCheck =
  | { ok: true; subject: UnsubscribeSubject }
  | { ok: false; reason: 'malformed' | 'forged' };

/** The token's subject, or why it is refused: `malformed` (not a token at all), `forged` (the key's tag fails). */
export function verifyUnsubscribeToken(secret: string, token: string): TokenCheck {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token))
    return { ok: false, reason: 'malformed' };
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return { ok: false, reason: 'malformed' };
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    text = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return { ok: false, reason: 'forged' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'forged' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'forged' };
  const [, customerId, ch, topic, issued] = parsed.data;
  return {
    ok: true,
    subject: { customerId, channel: ch, topic, issuedAt: new Date(issued * 1000).toISOString() },
  };
}

/** Whether a link of this age may still opt back in (opting out never expires). */
export function mayResubscribe(subject: UnsubscribeSubject, now: Date): boolean {
  return now.getTime() - Date.parse(subject.issuedAt) <= RESUBSCRIBE_LINK_DAYS * 86_400_000;
}

/** `<base>/u/<token>`: the HTTPS link of List-Unsubscribe and the footer. */
export function unsubscribeUrl(baseUrl: string, secret: string, subject: UnsubscribeSubject): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(`u/${signUnsubscribeToken(secret, subject)}`, base).toString();
}
