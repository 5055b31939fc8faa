// Partners as the API answers and the CLI reads them. A secret appears only in the answer that
// made it (add, rotate); a listed partner never carries one.
import * as z from 'zod';

export const partnerAddedSchema = z.object({ id: z.string(), secret: z.string(), createdAt: z.string() });
export const partnerRotatedSchema = partnerAddedSchema.extend({ previousValidUntil: z.string() });
/** A revoke's answer: no secret is valid any more (`partner rotate` makes a new one). */
export const partnerRevokedSchema = z.object({
  id: z.string(),
  revokedAt: z.string(),
  validSecrets: z.literal(0),
});
export const partnerSummarySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  secretCreatedAt: z.string().optional(),
  validSecrets: z.number().int(),
  previousValidUntil: z.string().optional(),
});
export const partnerListSchema = z.object({ partners: z.array(partnerSummarySchema) });
