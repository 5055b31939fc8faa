// plan --date D: what a run for local date D would do. Writes nothing.
import { type PlanDayDeps, planDayTouches, UnknownCampaignError } from '../plan-day.js';
import { type PlanReport, planReport } from './report.js';

export type PlanResult =
  | { ok: true; report: PlanReport }
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
    return { ok: true, report: planReport(input.date, touches) };
  } catch (err) {
    if (err instanceof UnknownCampaignError)
      return { ok: false, reason: 'unknown-campaign', campaignId: err.campaignId };
    throw err;
  }
}
