// partner add|rotate|revoke|list: webhook partners and their `whsec_` secrets, over the PartnerStore
// port (the table locally, Secrets Manager in the cloud). A rotated secret's predecessor stays valid
// for the rollover window, so a partner can switch without dropping events; a leaked secret is cut
// off at once by a rotation with `now` (the new secret only) or a revoke (no secret at all).
import type { z } from 'zod';
import { newPartner, newSecret, validSecrets } from '../../partners/secrets.js';
import type { Clock } from '../../ports/clock.js';
import type { Partner, PartnerStore } from '../../ports/partners.js';
import type {
  partnerAddedSchema,
  partnerRevokedSchema,
  partnerRotatedSchema,
  partnerSummarySchema,
} from './schemas.js';

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

/**
 * A new secret. The previous ones stay valid for the rollover window, or, with `now` (a leaked
 * secret), stop being valid at once: `previousValidUntil` is then the rotation's own instant.
 */
export async function rotatePartner(
  deps: Deps & { rolloverMs: number },
  id: string,
  opts: { now?: boolean } = {},
): Promise<{ ok: true; value: z.infer<typeof partnerRotatedSchema> } | { ok: false; reason: 'not-found' }> {
  const next = newSecret(deps.clock.now());
  const rolloverMs = opts.now ? 0 : deps.rolloverMs;
  const rotated = await deps.partners.rotatePartnerSecret(id, next, rolloverMs);
  if (!rotated) return { ok: false, reason: 'not-found' };
  const previousValidUntil = new Date(Date.parse(next.createdAt) + rolloverMs).toISOString();
  return {
    ok: true,
    value: { id: rotated.id, secret: next.secret, createdAt: next.createdAt, previousValidUntil },
  };
}

/**
 * Every secret of the partner invalid at once. The partner is kept (its id, its webhook receipts,
 * `partner list`), so `rotate` can later give it a new secret; until then each webhook gets 401.
 */
export async function revokePartner(
  deps: Deps,
  id: string,
): Promise<{ ok: true; value: z.infer<typeof partnerRevokedSchema> } | { ok: false; reason: 'not-found' }> {
  const revokedAt = deps.clock.now().toISOString();
  const revoked = await deps.partners.revokePartnerSecrets(id);
  if (!revoked) return { ok: false, reason: 'not-found' };
  return { ok: true, value: { id: revoked.id, revokedAt, validSecrets: 0 } };
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
