// One-click unsubscribe links (RFC 8058). The token is an HMAC so a link cannot be forged for
// another customer; the API verifies it before recording the opt-out.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from './documents.js';

const tokenOf = (secret: string, customerId: string, channel: Channel): string =>
  createHmac('sha256', secret).update(`${customerId}:${channel}`).digest('base64url').slice(0, 32);

export function unsubscribeUrl(
  baseUrl: string,
  secret: string,
  customerId: string,
  channel: Channel,
): string {
  const url = new URL('unsubscribe', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('c', customerId);
  url.searchParams.set('ch', channel);
  url.searchParams.set('t', tokenOf(secret, customerId, channel));
  return url.toString();
}

export function verifyUnsubscribeToken(
  secret: string,
  customerId: string,
  channel: Channel,
  token: string,
): boolean {
  const expected = Buffer.from(tokenOf(secret, customerId, channel));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
