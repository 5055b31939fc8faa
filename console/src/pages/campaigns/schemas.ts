// The answers of the campaign routes (shared/api/ops/campaigns.ts, preview.ts, calendar.ts), as far
// as these pages read them: loose, so a field the server adds does not break the console.
import * as z from 'zod';

export const recordSchema = z.looseObject({
  campaign: z.looseObject({ id: z.string(), name: z.string() }),
  version: z.number(),
  paused: z.boolean(),
  updatedAt: z.string(),
});
export type CampaignRecord = z.infer<typeof recordSchema>;

export const listSchema = z.looseObject({ campaigns: z.array(recordSchema) });

export const validSchema = z.looseObject({ valid: z.literal(true), id: z.string(), steps: z.number() });

export const versionsSchema = z.looseObject({
  versions: z.array(
    z.looseObject({ version: z.number(), updatedAt: z.string().optional(), current: z.boolean() }),
  ),
});
export type CampaignVersion = z.infer<typeof versionsSchema>['versions'][number];

export const versionSchema = z.looseObject({ version: z.number(), campaign: z.unknown() });

export const previewMessageSchema = z.looseObject({
  stepId: z.string(),
  channel: z.enum(['email', 'sms']),
  locale: z.string(),
  forTier: z.boolean(),
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  composed: z.looseObject({ html: z.string(), text: z.string() }).optional(),
});
export type PreviewMessage = z.infer<typeof previewMessageSchema>;

export const previewSchema = z.looseObject({
  campaignId: z.string(),
  version: z.number(),
  customerId: z.string(),
  sample: z.boolean().optional(),
  tier: z.string().nullable(),
  messages: z.array(previewMessageSchema),
});
export type Preview = z.infer<typeof previewSchema>;

export const testSendSchema = z.looseObject({
  sent: z.literal(true),
  to: z.string(),
  providerMessageId: z.string(),
});
export type TestSent = z.infer<typeof testSendSchema>;

export const settingsSchema = z.looseObject({ tiers: z.array(z.looseObject({ id: z.string() })) });

/** GET /calendar: only what the list's "next sends" column needs. */
export const calendarSchema = z.looseObject({
  days: z.array(
    z.looseObject({
      date: z.string(),
      groups: z.array(z.looseObject({ campaignId: z.string(), touches: z.number() })),
    }),
  ),
});
export type CalendarAnswer = z.infer<typeof calendarSchema>;

export interface NextSends {
  touches: number;
  /** The first day with a touch. */
  first?: string;
}

/** Touches per campaign over the calendar's days, and the first day each has one. */
export function nextSendsByCampaign(calendar: CalendarAnswer): Map<string, NextSends> {
  const out = new Map<string, NextSends>();
  for (const day of calendar.days)
    for (const g of day.groups) {
      if (g.touches <= 0) continue;
      const n = out.get(g.campaignId) ?? { touches: 0 };
      n.touches += g.touches;
      if (n.first === undefined || day.date < n.first) n.first = day.date;
      out.set(g.campaignId, n);
    }
  return out;
}
