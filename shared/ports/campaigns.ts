// Versioned campaign documents and their paused flag.
import type { Campaign } from '../domain/documents.js';
import type { CampaignRecord } from '../domain/touch.js';

export interface CampaignVersionEntry {
  version: number;
  /** When the version was stored (absent on a store that does not keep it). */
  createdAt?: string;
}

export interface CampaignStore {
  /** Stores a new immutable version and makes it current; keeps the paused flag. */
  putCampaign(campaign: Campaign): Promise<CampaignRecord>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;
  getCampaignVersion(id: string, version: number): Promise<Campaign | undefined>;
  /** Every stored version's number and when it was written, newest first (one Query, no documents). */
  listCampaignVersions(id: string): Promise<CampaignVersionEntry[]>;
  /** Returns false when no such campaign exists. */
  setPaused(id: string, paused: boolean): Promise<boolean>;
}
