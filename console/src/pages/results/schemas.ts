// What the Results page reads from GET /reports/campaigns and GET /reports/campaigns/{id}
// (shared/usecases/results/schemas.ts is the server's shape): loose objects, so a field the page
// does not use may come and go without breaking it.
import * as z from 'zod';

const count = z.number();

export const funnelSchema = z.looseObject({
  planned: count,
  suppressed: z.record(z.string(), count),
  sent: count,
  delivered: count,
  bounced: count,
  complained: count,
  opened: count,
  clicked: count,
  unsubscribed: count,
});

const groupSchema = z.looseObject({ customers: count, conversions: count, rate: z.number() });

export const upliftSchema = z.looseObject({
  value: z.number(),
  low: z.number(),
  high: z.number(),
  pValue: z.number(),
});
export type Uplift = z.infer<typeof upliftSchema>;

export const campaignReportSchema = z.looseObject({
  campaignId: z.string(),
  goal: z.looseObject({ type: z.string(), withinDays: z.number().optional() }).nullable(),
  funnel: funnelSchema,
  treated: groupSchema,
  holdout: groupSchema,
  uplift: upliftSchema.nullable(),
  cost: z.looseObject({ currency: z.string(), total: z.number(), perConversion: z.number().nullable() }),
});
export type CampaignReport = z.infer<typeof campaignReportSchema>;

export const reportSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  campaigns: z.array(campaignReportSchema),
});

export const dayCountsSchema = z.looseObject({ day: z.string(), counts: z.record(z.string(), z.number()) });
export type DayCounts = z.infer<typeof dayCountsSchema>;

export const detailSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  campaign: campaignReportSchema,
  days: z.array(dayCountsSchema),
});
export type CampaignDetail = z.infer<typeof detailSchema>;
