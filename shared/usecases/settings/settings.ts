// settings show|apply: the value pyramid, feb29 and the activity event types. `apply` replaces them.
import { type Settings, settingsSchema } from '../../domain/documents.js';
import type { SettingsStore } from '../../ports/settings.js';

export function showSettings(deps: { settings: SettingsStore }): Promise<Settings> {
  return deps.settings.getSettings();
}

export type ApplySettingsResult =
  | { ok: true; settings: Settings }
  | { ok: false; issues: { path: (string | number)[]; message: string }[] };

export async function applySettings(
  deps: { settings: SettingsStore },
  doc: unknown,
): Promise<ApplySettingsResult> {
  const parsed = settingsSchema.safeParse(doc);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
    };
  await deps.settings.putSettings(parsed.data);
  return { ok: true, settings: parsed.data };
}
