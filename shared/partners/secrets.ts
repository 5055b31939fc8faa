// Partner webhook secrets: the Standard Webhooks `whsec_` format, rotation with a rollover window,
// and which secrets are valid at an instant. Pure: no store, no clock of its own.
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { Partner, PartnerSecret } from '../ports/partners.js';

export const SECRET_PREFIX = 'whsec_';
/** 32 bytes: the HMAC-SHA256 block of key material Standard Webhooks recommends (24 is the floor). */
const SECRET_BYTES = 32;
export const DEFAULT_ROLLOVER_MS = 24 * 60 * 60 * 1000;

/** Ids go into URLs and table keys: keep them to a safe, readable alphabet. */
export const partnerId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a partner id is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const partnerSecretSchema = z.object({
  secret: z.string().startsWith(SECRET_PREFIX),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
});

export const partnerSchema = z.object({
  id: z.string(),
  secrets: z.array(partnerSecretSchema),
  createdAt: z.string(),
});

export function newSecret(now: Date): PartnerSecret {
  return {
    secret: `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`,
    createdAt: now.toISOString(),
  };
}

export function newPartner(id: string, now: Date): Partner {
  return { id, secrets: [newSecret(now)], createdAt: now.toISOString() };
}

const isLive = (s: PartnerSecret, now: Date): boolean =>
  s.expiresAt === undefined || Date.parse(s.expiresAt) > now.getTime();

/**
 * The secrets after a rotation at `next.createdAt`: `next` first, every secret that was current
 * now ends `rolloverMs` later (an already shorter window is kept), expired ones are dropped.
 */
export function rotateSecrets(
  secrets: readonly PartnerSecret[],
  next: PartnerSecret,
  rolloverMs: number,
): PartnerSecret[] {
  const at = new Date(next.createdAt);
  const rolloverEnd = new Date(at.getTime() + rolloverMs).toISOString();
  const kept = secrets
    .filter((s) => isLive(s, at))
    .map((s) => ({
      ...s,
      expiresAt: s.expiresAt !== undefined && s.expiresAt < rolloverEnd ? s.expiresAt : rolloverEnd,
    }));
  return [next, ...kept.filter((s) => isLive(s, at))];
}

/** The secrets a signature may be made with at `now`: the current one and those in their rollover window. */
export function validSecrets(partner: Partner, now: Date): string[] {
  return partner.secrets.filter((s) => isLive(s, now)).map((s) => s.secret);
}
