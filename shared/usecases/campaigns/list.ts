// campaign list: the current version of every campaign, in planning order (priority, then id).
import type { CampaignRecord } from '../../domain/touch.js';
import type { CampaignStore } from '../../ports/campaigns.js';

export async function listCampaigns(deps: { campaigns: CampaignStore }): Promise<CampaignRecord[]> {
  const records = await deps.campaigns.listCampaigns();
  return records.sort(
    (a, b) => b.campaign.priority - a.campaign.priority || a.campaign.id.localeCompare(b.campaign.id),
  );
}
