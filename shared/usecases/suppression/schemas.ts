// The suppression list as the API answers it and the CLI reads it.
import * as z from 'zod';
import { suppressionReason } from '../../domain/channels.js';

export const suppressionEntrySchema = z.object({
  address: z.string(),
  reason: suppressionReason,
  addedAt: z.string(),
  source: z.enum(['manual', 'bounce', 'complaint', 'unsubscribe']),
});
export const suppressionAddedSchema = suppressionEntrySchema;
export const suppressionRemovedSchema = z.object({ address: z.string(), removed: z.boolean() });
export const suppressionListSchema = z.object({ suppressions: z.array(suppressionEntrySchema) });
