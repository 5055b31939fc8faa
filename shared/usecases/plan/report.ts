// The contract's JSON for plan and run output (README "The CLI"): built here, documented by the
// API and parsed by the CLI from these schemas, so the shape exists once.
import * as z from 'zod';
import { channel } from '../../domain/channels.js';
import type { PlannedTouch } from '../../domain/touch.js';

export const touchRowSchema = z.object({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel,
  occasion: z.string(),
  tier: z.string(),
  locale: z.string(),
  sendAt: z.string(),
  status: z.string(),
  reason: z.string().optional(),
});
export type TouchRow = z.infer<typeof touchRowSchema>;

const byReason = z.record(z.string(), z.number().int());

/** What the run would cost, estimated from the settings' prices (docs/cost.md). */
export const costEstimateSchema = z.object({
  currency: z.string(),
  total: z.number(),
  messages: z.number(),
  infra: z.number(),
  pricesAsOf: z.string(),
});
export type CostEstimate = z.infer<typeof costEstimateSchema>;

export const planReportSchema = z.object({
  date: z.string(),
  touches: z.array(touchRowSchema),
  summary: z.object({ planned: z.number().int(), suppressed: z.number().int(), byReason }),
});
export type PlanReport = z.infer<typeof planReportSchema>;

export const runResultSchema = z.object({
  date: z.string(),
  runId: z.string(),
  touches: z.array(touchRowSchema),
  summary: z.object({
    planned: z.number().int(),
    sent: z.number().int(),
    suppressed: z.number().int(),
    failed: z.number().int(),
    expired: z.number().int().optional(),
    /** Touches held by a reservation nobody confirmed (status `unknown`): check, then release or keep. */
    unknown: z.number().int().optional(),
    /** Batches that failed after their retries (the run partly failed; their touches are `failed`). */
    failedBatches: z.number().int().optional(),
    byReason,
  }),
});
export type RunResult = z.infer<typeof runResultSchema>;

/** Exactly the contract's touch fields, in its order. */
export function touchRow(t: PlannedTouch, status: string, reason: string | undefined): TouchRow {
  return {
    campaignId: t.campaignId,
    stepId: t.stepId,
    customerId: t.customerId,
    channel: t.channel,
    occasion: t.occasion,
    tier: t.tier,
    locale: t.locale,
    sendAt: t.sendAt,
    status,
    ...(reason !== undefined && { reason }),
  };
}

export function countByReason(rows: readonly { status: string; reason?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows)
    if (r.status === 'suppressed' && r.reason) counts[r.reason] = (counts[r.reason] ?? 0) + 1;
  return counts;
}

/** `plan --date D --json` / `GET /v1/plan`: `{ date, touches, summary: { planned, suppressed, byReason } }`. */
export function planReport(date: string, touches: readonly PlannedTouch[]): PlanReport {
  const rows = touches.map((t) => touchRow(t, t.status, t.reason));
  const planned = rows.filter((r) => r.status === 'planned').length;
  return {
    date,
    touches: rows,
    summary: { planned, suppressed: rows.length - planned, byReason: countByReason(rows) },
  };
}
