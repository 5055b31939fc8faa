// plan --date D: what a run for local date D would do. Writes nothing.

import { resolvePrices } from '../../domain/prices.js';
import { listFingerprint, offsetPage } from '../paging.js';
import { type PlanDayDeps, planDayTouches, UnknownCampaignError } from '../plan-day.js';
import { estimatePlanCost, smsTypesOf } from '../results/count-run.js';
import { type CostEstimate, type PlanReport, planReport } from './report.js';

export type PlanResult =
  | { ok: true; report: PlanReport; cost: CostEstimate }
  | { ok: false; reason: 'unknown-campaign'; campaignId: string };

export async function planDay(
  deps: PlanDayDeps,
  input: { date: string; campaignId?: string | undefined },
): Promise<PlanResult> {
  try {
    const touches = await planDayTouches(deps, {
      date: input.date,
      ...(input.campaignId !== undefined && { campaignId: input.campaignId }),
    });
    // What the run would cost (docs/cost.md): the dry run says it, at the settings' prices.
    const [settings, smsTypeOf] = await Promise.all([
      deps.store.settings.getSettings(),
      smsTypesOf(deps.store.campaigns, touches),
    ]);
    const cost = estimatePlanCost(touches, { prices: resolvePrices(settings.prices), smsTypeOf });
    return { ok: true, report: planReport(input.date, touches), cost };
  } catch (err) {
    if (err instanceof UnknownCampaignError)
      return { ok: false, reason: 'unknown-campaign', campaignId: err.campaignId };
    throw err;
  }
}

/** One page of a day's plan: a slice of its touches; the summary describes the whole day. */
export type PlanPageResult =
  | { ok: true; report: PlanReport; cost: CostEstimate; fingerprint: string; nextOffset?: number }
  | { ok: false; reason: 'unknown-campaign'; campaignId: string };

/** A digest of every touch of the plan, so a page can tell that the plan changed under its cursor. */
export const planFingerprint = (report: PlanReport): string => listFingerprint(report.touches);

/**
 * The touches [offset, offset + limit) of the day's plan. Plans are reproducible and sorted, so each
 * page plans the day again and slices it (docs/api.md "GET /v1/plan pages": what that costs).
 */
export async function planDayPage(
  deps: PlanDayDeps,
  input: { date: string; campaignId?: string | undefined; offset: number; limit: number },
): Promise<PlanPageResult> {
  const result = await planDay(deps, input);
  if (!result.ok) return result;
  const { report } = result;
  const page = offsetPage(report.touches, input.offset, input.limit);
  return {
    ok: true,
    report: { ...report, touches: page.items },
    cost: result.cost,
    fingerprint: page.fingerprint,
    ...(page.nextOffset !== undefined && { nextOffset: page.nextOffset }),
  };
}
