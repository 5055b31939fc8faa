// The contract's results JSON (CONTRACT.md "Results"): built by report.ts, documented by the API and
// parsed by the CLI from these schemas, so the shape exists once. Rates and uplift are fractions;
// the interval is 95 % (shared/domain/uplift.ts).
import * as z from 'zod';

const count = z.number().int();

/** A campaign's goal as it declared it (R2's schema validates it on apply); null when it declares none. */
export const reportGoalSchema = z
  .object({ type: z.string(), withinDays: z.number().int().optional() })
  .catchall(z.unknown());

export const funnelSchema = z.object({
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
export type Funnel = z.infer<typeof funnelSchema>;

export const groupSchema = z.object({ customers: count, conversions: count, rate: z.number() });

export const upliftSchema = z.object({
  value: z.number(),
  low: z.number(),
  high: z.number(),
  pValue: z.number(),
});

export const costSchema = z.object({
  currency: z.string(),
  total: z.number(),
  /** total ÷ treated conversions; null with no conversion. */
  perConversion: z.number().nullable(),
});

export const campaignReportSchema = z.object({
  campaignId: z.string(),
  goal: reportGoalSchema.nullable(),
  funnel: funnelSchema,
  treated: groupSchema,
  holdout: groupSchema,
  /** null: below the minimum sample ("not enough data", docs/results.md). */
  uplift: upliftSchema.nullable(),
  cost: costSchema,
});
export type CampaignReport = z.infer<typeof campaignReportSchema>;

export const resultsReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  campaigns: z.array(campaignReportSchema),
});
export type ResultsReport = z.infer<typeof resultsReportSchema>;

/** Counters summed over one breakdown key (a day, or a step × channel × tier × locale). */
const countsSchema = z.record(z.string(), z.number());

/** One campaign in detail: the report, and its counters by day and by step × channel × tier × locale. */
export const campaignDetailSchema = z.object({
  from: z.string(),
  to: z.string(),
  campaign: campaignReportSchema,
  days: z.array(z.object({ day: z.string(), counts: countsSchema })),
  breakdown: z.array(
    z.object({
      stepId: z.string(),
      channel: z.string(),
      tier: z.string(),
      locale: z.string(),
      counts: countsSchema,
    }),
  ),
});
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;
