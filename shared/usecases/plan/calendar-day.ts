// One day of the console's calendar (docs/console.md, "Reads behind the console"): a day's dry-run
// touches counted by campaign, step, tier and channel, its suppressions by reason, and what it would
// cost. Pure: the same touches and prices give the same day. The cost is the dry run's own estimate
// (estimatePlanCost, docs/cost.md), so a day's figure equals GET /v1/plan's `cost` for that date.
import * as z from 'zod';
import { channel } from '../../domain/channels.js';
import { type Prices, roundAmount, type SmsType, toMicros } from '../../domain/prices.js';
import type { PlannedTouch } from '../../domain/touch.js';
import { estimatePlanCost, touchPrice } from '../results/count-run.js';

export const calendarCostSchema = z.object({
  /** Messages plus the run's infrastructure, in `currency`. */
  amount: z.number(),
  currency: z.string(),
  messages: z.number(),
  infra: z.number(),
});
export type CalendarCost = z.infer<typeof calendarCostSchema>;

const reasonCount = z.object({ reason: z.string(), count: z.number().int() });

export const calendarGroupSchema = z.object({
  campaignId: z.string(),
  stepId: z.string(),
  tier: z.string(),
  channel,
  /** Touches that would go out. */
  touches: z.number().int(),
  /** Touches planning suppressed (already-sent included). */
  suppressed: z.number().int(),
  /** The messages of `touches` at the settings' prices (infrastructure is counted per day). */
  estimatedCost: z.object({ amount: z.number(), currency: z.string() }),
});
export type CalendarGroup = z.infer<typeof calendarGroupSchema>;

export const calendarDaySchema = z.object({
  date: z.string(),
  touches: z.number().int(),
  suppressed: z.number().int(),
  estimatedCost: calendarCostSchema,
  groups: z.array(calendarGroupSchema),
  suppressions: z.array(reasonCount),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarTotalsSchema = z.object({
  touches: z.number().int(),
  suppressed: z.number().int(),
  estimatedCost: calendarCostSchema,
  suppressions: z.array(reasonCount),
});
export type CalendarTotals = z.infer<typeof calendarTotalsSchema>;

export type CalendarTouch = Pick<
  PlannedTouch,
  'campaignId' | 'stepId' | 'tier' | 'channel' | 'status' | 'reason' | 'address' | 'sendAt'
>;

export interface CostOptions {
  prices: Prices;
  smsTypeOf: (campaignId: string) => SmsType;
}

const byCountDesc = (counts: Map<string, number>) =>
  [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));

/** A day's touches as the calendar shows them: groups in campaign, step, tier, channel order. */
export function calendarDay(date: string, touches: readonly CalendarTouch[], opts: CostOptions): CalendarDay {
  const groups = new Map<string, CalendarGroup & { micros: number }>();
  const reasons = new Map<string, number>();
  for (const t of touches) {
    const key = JSON.stringify([t.campaignId, t.stepId, t.tier, t.channel]);
    const g = groups.get(key) ?? {
      campaignId: t.campaignId,
      stepId: t.stepId,
      tier: t.tier,
      channel: t.channel,
      touches: 0,
      suppressed: 0,
      estimatedCost: { amount: 0, currency: opts.prices.currency },
      micros: 0,
    };
    groups.set(key, g);
    if (t.status === 'planned') {
      g.touches += 1;
      g.micros += toMicros(touchPrice(opts.prices, t, opts.smsTypeOf(t.campaignId)));
    } else {
      g.suppressed += 1;
      const reason = t.reason ?? 'unknown';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const cost = estimatePlanCost(touches, opts);
  const planned = touches.filter((t) => t.status === 'planned').length;
  return {
    date,
    touches: planned,
    suppressed: touches.length - planned,
    estimatedCost: {
      amount: cost.total,
      currency: cost.currency,
      messages: cost.messages,
      infra: cost.infra,
    },
    groups: [...groups.values()]
      .sort(
        (a, b) =>
          a.campaignId.localeCompare(b.campaignId) ||
          a.stepId.localeCompare(b.stepId) ||
          a.tier.localeCompare(b.tier) ||
          a.channel.localeCompare(b.channel),
      )
      .map(({ micros, ...g }) => ({
        ...g,
        estimatedCost: { amount: roundAmount(micros / 1e6), currency: g.estimatedCost.currency },
      })),
    suppressions: byCountDesc(reasons),
  };
}

/** The sums over the days (amounts added in millionths, so rounding does not drift). */
export function calendarTotals(days: readonly CalendarDay[], currency: string): CalendarTotals {
  const sum = (f: (d: CalendarDay) => number) => days.reduce((n, d) => n + f(d), 0);
  const micros = (f: (c: CalendarCost) => number) =>
    roundAmount(sum((d) => toMicros(f(d.estimatedCost))) / 1e6);
  const reasons = new Map<string, number>();
  for (const d of days)
    for (const s of d.suppressions) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + s.count);
  return {
    touches: sum((d) => d.touches),
    suppressed: sum((d) => d.suppressed),
    estimatedCost: {
      amount: micros((c) => c.amount),
      currency,
      messages: micros((c) => c.messages),
      infra: micros((c) => c.infra),
    },
    suppressions: byCountDesc(reasons),
  };
}
