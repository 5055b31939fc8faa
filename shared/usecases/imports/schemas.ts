// What the import capabilities answer: one definition that the API documents and the CLI parses.
import * as z from 'zod';
import { importJobViewSchema } from '../../domain/import-job.js';

export { importJobViewSchema };

export const importResultSchema = z.object({
  count: z.number().int(),
  written: z.number().int(),
  newEvents: z.number().int().optional(),
  /** Customers: records that asked to resubscribe a customer whose own opt-out stands (docs/consent.md). */
  keptOptedOut: z.number().int().optional(),
});

export const importUploadSchema = z.object({
  importId: z.string(),
  uploadUrl: z.string(),
  method: z.literal('PUT'),
  expiresAt: z.string(),
});
