// campaign validate: every problem of a document in one answer, checked against the settings' tiers.
import { type CampaignValidation, validateCampaign } from '../../domain/campaign-validation.js';
import type { SettingsStore } from '../../ports/settings.js';

export async function validateCampaignDocument(
  deps: { settings: SettingsStore },
  doc: unknown,
): Promise<CampaignValidation> {
  const settings = await deps.settings.getSettings();
  return validateCampaign(
    doc,
    settings.tiers.map((t) => t.id),
  );
}
