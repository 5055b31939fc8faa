// The settings item alone: for a handler that only reads settings (SendBatch: product names and the
// sender's footer), without the document store's customer and index code in its bundle.
import { defaultSettings, type Settings, settingsSchema } from '../domain/documents.js';
import type { SettingsStore } from '../ports/settings.js';
import { CorruptItemError } from './errors.js';
import { keys } from './items.js';
import type { Table } from './table.js';

/** The current settings; never applied: the contract's defaults. */
export async function readSettings(table: Table): Promise<Settings> {
  const item = await table.get(keys.settings(), { ConsistentRead: true });
  if (!item) return defaultSettings();
  const parsed = settingsSchema.safeParse(item.doc);
  if (!parsed.success) throw new CorruptItemError('SETTINGS/CURRENT', parsed.error.message);
  return parsed.data;
}

export class SettingsReader implements Pick<SettingsStore, 'getSettings'> {
  constructor(private readonly table: Table) {}
  getSettings(): Promise<Settings> {
    return readSettings(this.table);
  }
}
