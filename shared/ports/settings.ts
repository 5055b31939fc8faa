// The settings document (value pyramid, feb29, activity event types).
import type { Settings } from '../domain/documents.js';

export interface SettingsStore {
  getSettings(): Promise<Settings>;
  /** Replaces the settings; re-derives last activity when the activity event types change. */
  putSettings(settings: Settings): Promise<void>;
}
