// An import job (a large import uploaded out of band) as data: one schema for the store reading its
// item back, the API answering GET /v1/imports/{id}, and the CLI polling it.
import * as z from 'zod';

export const importJobSchema = z.object({
  id: z.string(),
  kind: z.enum(['customers', 'contracts', 'events']),
  format: z.enum(['ndjson', 'csv']),
  status: z.enum(['pending', 'validating', 'writing', 'succeeded', 'failed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  uploadExpiresAt: z.string(),
  count: z.number().int().optional(),
  written: z.number().int().optional(),
  newEvents: z.number().int().optional(),
  /** Customers: records whose resubscription was not followed, the customer's own opt-out standing. */
  keptOptedOut: z.number().int().optional(),
  errors: z.array(z.object({ line: z.number().int(), path: z.string(), message: z.string() })).optional(),
  errorCount: z.number().int().optional(),
  message: z.string().optional(),
});

/** What a client sees of a job: its id as `importId`, without the upload URL's expiry. */
export const importJobViewSchema = importJobSchema
  .omit({ id: true, uploadExpiresAt: true })
  .extend({ importId: z.string() });
