// run --date D: start the state machine for local date D (the cloud's, or the local executor),
// after refusing an unknown campaign; the execution's status is the starter's to tell.
import type { CampaignStore } from '../../ports/campaigns.js';

/** Starts an execution: Step Functions in the cloud, the local ASL runner locally. */
export interface RunStarter {
  start(input: { date: string; campaignId?: string }): Promise<{ executionId: string }>;
}

export type RunNowResult =
  | { ok: true; executionId: string }
  | { ok: false; reason: 'unknown-campaign'; campaignId: string };

export async function runNow(
  deps: { campaigns: CampaignStore; starter: RunStarter },
  input: { date: string; campaignId?: string | undefined },
): Promise<RunNowResult> {
  const { date, campaignId } = input;
  if (campaignId !== undefined && !(await deps.campaigns.getCampaign(campaignId)))
    return { ok: false, reason: 'unknown-campaign', campaignId };
  const { executionId } = await deps.starter.start({ date, ...(campaignId !== undefined && { campaignId }) });
  return { ok: true, executionId };
}
