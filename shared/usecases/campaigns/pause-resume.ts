// campaign pause|resume: a paused campaign's touches are suppressed as `paused`.
import type { CampaignRecord } from '../../domain/touch.js';
import type { CampaignStore } from '../../ports/campaigns.js';

/** The campaign as it is now, or undefined when there is none with this id. */
export async function setCampaignPaused(
  deps: { campaigns: CampaignStore },
  input: { id: string; paused: boolean },
): Promise<CampaignRecord | undefined> {
  if (!(await deps.campaigns.setPaused(input.id, input.paused))) return undefined;
  return deps.campaigns.getCampaign(input.id);
}
