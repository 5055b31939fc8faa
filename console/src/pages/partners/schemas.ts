// What the Partners page reads (shared/usecases/partners/schemas.ts is the server's shape; the
// activity route's is in shared/api/ops/partners.ts): loose objects, a secret only where the server
// made one (add, rotate).
import * as z from 'zod';

export const partnerSchema = z.looseObject({
  id: z.string(),
  createdAt: z.string(),
  secretCreatedAt: z.string().optional(),
  validSecrets: z.number(),
  previousValidUntil: z.string().optional(),
});
export type Partner = z.infer<typeof partnerSchema>;

export const partnerListSchema = z.looseObject({ partners: z.array(partnerSchema) });

export const secretAnswerSchema = z.looseObject({
  id: z.string(),
  secret: z.string(),
  createdAt: z.string(),
  previousValidUntil: z.string().optional(),
});
export type SecretAnswer = z.infer<typeof secretAnswerSchema>;

export const revokedSchema = z.looseObject({ id: z.string(), revokedAt: z.string() });

export const activitySchema = z.looseObject({
  events: z.array(
    z.looseObject({
      id: z.string(),
      type: z.string(),
      customerId: z.string().optional(),
      receivedAt: z.string(),
    }),
  ),
  refusals: z.array(z.looseObject({ hour: z.string(), reason: z.string(), count: z.number() })),
});
export type Activity = z.infer<typeof activitySchema>;

/**
 * The id rule the API applies (shared/partners/secrets.ts `partnerId`, which cannot come to the
 * browser: it pulls node:crypto). Here only for the live hint; the API's 400 is the authority.
 */
export const PARTNER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
