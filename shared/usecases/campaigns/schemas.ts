// What the campaign capabilities answer: one definition that the API documents and the CLI parses.
import * as z from 'zod';
import { campaignSchema } from '../../domain/documents.js';

export const campaignRecordSchema = z.object({
  campaign: campaignSchema,
  version: z.number().int(),
  paused: z.boolean(),
  updatedAt: z.string(),
});

/** A document that passed every check; `steps` is how many it has. */
export const validCampaignSchema = z.object({
  valid: z.literal(true),
  id: z.string(),
  steps: z.number().int(),
});
