// What the calendar pages read, checked as they arrive: GET /calendar (shared/usecases/plan/
// calendar-day.ts), GET /plan, POST /runs, GET /runs/{id} and GET /run-results/{id}
// (shared/api/ops/runs.ts). Loose objects: fields the pages do not use may come and go.
import * as z from 'zod';

const money = z.looseObject({ amount: z.number(), currency: z.string() });
const reasonCount = z.looseObject({ reason: z.string(), count: z.number() });

export const calendarGroupSchema = z.looseObject({
  campaignId: z.string(),
  stepId: z.string(),
  tier: z.string(),
  channel: z.string(),
  touches: z.number(),
  suppressed: z.number().default(0),
  estimatedCost: money,
});
export type CalendarGroup = z.infer<typeof calendarGroupSchema>;

export const calendarDaySchema = z.looseObject({
  date: z.string(),
  touches: z.number(),
  suppressed: z.number(),
  estimatedCost: money.extend({ messages: z.number().optional(), infra: z.number().optional() }),
  groups: z.array(calendarGroupSchema),
  suppressions: z.array(reasonCount),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarSchema = z.looseObject({
  from: z.string(),
  days: z.array(calendarDaySchema),
  nextFrom: z.string().optional(),
});

export const planTouchSchema = z.looseObject({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel: z.string(),
  occasion: z.string(),
  tier: z.string(),
  locale: z.string(),
  sendAt: z.string(),
  status: z.string(),
  reason: z.string().optional(),
});
export type PlanTouch = z.infer<typeof planTouchSchema>;

export const planPageSchema = z.looseObject({
  date: z.string(),
  touches: z.array(planTouchSchema),
  summary: z.looseObject({ planned: z.number(), suppressed: z.number() }),
  nextCursor: z.string().optional(),
});

export const runStartedSchema = z.looseObject({ executionId: z.string() });

export const runStatusSchema = z.looseObject({
  executionId: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']),
  error: z.string().optional(),
});
export type RunStatus = z.infer<typeof runStatusSchema>['status'];

export const runResultSchema = z.looseObject({
  runId: z.string(),
  summary: z.looseObject({
    planned: z.number(),
    sent: z.number(),
    suppressed: z.number(),
    failed: z.number(),
    unknown: z.number().optional(),
    byReason: z.record(z.string(), z.number()),
  }),
});
export type RunSummary = z.infer<typeof runResultSchema>['summary'];
