// campaign apply: a validated document becomes the campaign's version 1 (create) or its next
// immutable version (a new version of an existing one). Nothing is stored unless every check passes.
import type { CampaignIssue } from '../../domain/campaign-checks.js';
import type { CampaignRecord } from '../../domain/touch.js';
import type { CampaignStore } from '../../ports/campaigns.js';
import type { SettingsStore } from '../../ports/settings.js';
import { validateCampaignDocument } from './validate.js';

export type ApplyCampaignResult =
  | { ok: true; record: CampaignRecord }
  | { ok: false; reason: 'invalid'; issues: CampaignIssue[] }
  /** create: it exists already; version: there is none to add a version to. */
  | { ok: false; reason: 'exists' | 'not-found'; id: string }
  /** version: the document names another campaign than the one addressed. */
  | { ok: false; reason: 'id-mismatch'; id: string };

export async function applyCampaign(
  deps: { campaigns: CampaignStore; settings: SettingsStore },
  input: { doc: unknown; mode: 'create' } | { doc: unknown; mode: 'version'; id: string },
): Promise<ApplyCampaignResult> {
  const checked = await validateCampaignDocument(deps, input.doc);
  if (!checked.ok) return { ok: false, reason: 'invalid', issues: checked.issues };
  const { campaign } = checked;
  if (input.mode === 'version' && campaign.id !== input.id)
    return { ok: false, reason: 'id-mismatch', id: input.id };
  const existing = await deps.campaigns.getCampaign(campaign.id);
  if (input.mode === 'create' && existing) return { ok: false, reason: 'exists', id: campaign.id };
  if (input.mode === 'version' && !existing) return { ok: false, reason: 'not-found', id: campaign.id };
  return { ok: true, record: await deps.campaigns.putCampaign(campaign) };
}
