// partner add|rotate|list: webhook partners and their `whsec_` secrets, over the PartnerStore port
// (the table locally, Secrets Manager in the cloud). A rotated secret's predecessor stays valid for
// the rollover window, so a partner can switch without dropping events.
import type { z } from 'zod';
import { newPartner, newSecret, validSecrets } from '../../partners/secrets.js';
import type { Clock } from '../../ports/clock.js';
import type { Partner, PartnerStore } from '../../ports/partners.js';
import type { partnerAddedSchema, partnerRotatedSchema, partnerSummarySchema } from './schemas.js';

type Deps = { partners: PartnerStore; clock: Clock };

export async function addPartner(
  deps: Deps,
  id: string,
): Promise<{ ok: true; value: z.infer<typeof partnerAddedSchema> } | { ok: false; reason: 'exists' }> {
  const partner = newPartner(id, deps.clock.now());
  if (!(await deps.partners.addPartner(partner))) return { ok: false, reason: 'exists' };
  return {
    ok: true,
    value: { id: partner.id, secret: partner.secrets[0]?.secret ?? '', createdAt: partner.createdAt },
  };
}

export async function rotatePartner(
  deps: Deps & { rolloverMs: number },
  id: string,
): Promise<{ ok: true; value: z.infer<typeof partnerRotatedSchema> } | { ok: false; reason: 'not-found' }> {
  const next = newSecret(deps.clock.now());
  const rotated = await deps.partners.rotatePartnerSecret(id, next, deps.rolloverMs);
  if (!rotated) return { ok: false, reason: 'not-found' };
  const previousValidUntil = new Date(Date.parse(next.createdAt) + deps.rolloverMs).toISOString();
  return {
    ok: true,
    value: { id: rotated.id, secret: next.secret, createdAt: next.createdAt, previousValidUntil },
  };
}

/** What a listing shows of a partner: never a secret. */
function summary(p: Partner, now: Date): z.infer<typeof partnerSummarySchema> {
  const current = p.secrets[0];
  const rollover = p.secrets
    .slice(1)
    .filter((s) => s.expiresAt !== undefined && Date.parse(s.expiresAt) > now.getTime());
  const previousValidUntil = rollover
    .map((s) => s.expiresAt)
    .sort()
    .at(-1);
  return {
    id: p.id,
    createdAt: p.createdAt,
    ...(current && { secretCreatedAt: current.createdAt }),
    validSecrets: validSecrets(p, now).length,
    ...(previousValidUntil !== undefined && { previousValidUntil }),
  };
}

export async function listPartners(deps: Deps): Promise<z.infer<typeof partnerSummarySchema>[]> {
  const now = deps.clock.now();
  return (await deps.partners.listPartners()).map((p) => summary(p, now));
}
