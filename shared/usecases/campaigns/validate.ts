// campaign validate: every problem of a document in one answer, checked against the settings' tiers.
import { unsubscribeLinkIssues } from '../../domain/campaign-checks.js';
import { type CampaignValidation, validateCampaign } from '../../domain/campaign-validation.js';
import type { SettingsStore } from '../../ports/settings.js';

/**
 * `compliance`: also refuse a campaign email template that does not show `{{ unsubscribeUrl }}`
 * (`campaign validate`; apply takes it, since every email's footer carries the link: docs/consent.md).
 */
export async function validateCampaignDocument(
  deps: { settings: SettingsStore },
  doc: unknown,
  opts: { compliance?: boolean } = {},
): Promise<CampaignValidation> {
  const settings = await deps.settings.getSettings();
  const result = validateCampaign(
    doc,
    settings.tiers.map((t) => t.id),
  );
  if (!opts.compliance || !result.ok) return result;
  const issues = unsubscribeLinkIssues(result.campaign);
  return issues.length === 0 ? result : { ok: false, issues };
}
