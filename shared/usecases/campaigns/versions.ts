// campaign versions: the stored versions of a campaign, newest first, and which one is current.
// The console diffs two of them itself (GET /v1/campaigns/{id}/versions/{n} gives each document).
import * as z from 'zod';
import type { CampaignStore } from '../../ports/campaigns.js';

export const campaignVersionsSchema = z.object({
  versions: z.array(
    z.object({ version: z.number().int(), updatedAt: z.string().optional(), current: z.boolean() }),
  ),
});
export type CampaignVersions = z.infer<typeof campaignVersionsSchema>;

/** Undefined when there is no such campaign. */
export async function campaignVersions(
  deps: { campaigns: Pick<CampaignStore, 'getCampaign' | 'listCampaignVersions'> },
  id: string,
): Promise<CampaignVersions | undefined> {
  const [record, versions] = await Promise.all([
    deps.campaigns.getCampaign(id),
    deps.campaigns.listCampaignVersions(id),
  ]);
  if (!record) return undefined;
  return {
    versions: versions.map((v) => ({
      version: v.version,
      ...(v.createdAt !== undefined && { updatedAt: v.createdAt }),
      current: v.version === record.version,
    })),
  };
}
