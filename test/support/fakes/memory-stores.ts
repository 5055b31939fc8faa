// Every store port in memory, for unit tests of use cases without DynamoDB Local. Each fake keeps
// the adapter's observable rules (conditional writes, insert-if-absent, versioning) and no more.
import type { Campaign } from '../../../shared/domain/documents.js';
import type { CampaignRecord } from '../../../shared/domain/touch.js';
import { rotateSecrets } from '../../../shared/partners/secrets.js';
import type { CampaignStore } from '../../../shared/ports/campaigns.js';
import type { Clock } from '../../../shared/ports/clock.js';
import type {
  ImportJob,
  ImportJobStatus,
  ImportJobs,
  ImportJobUpdate,
} from '../../../shared/ports/import-jobs.js';
import type {
  Partner,
  PartnerSecret,
  PartnerStore,
  WebhookReceipts,
} from '../../../shared/ports/partners.js';
import type { SuppressionEntry, SuppressionStore } from '../../../shared/ports/suppression.js';
import type { Stores } from '../../../shared/store/stores.js';
import { MemoryAudit } from './memory-audit.js';
import { MemoryConsent } from './memory-consent.js';
import { MemoryConversions } from './memory-conversions.js';
import { MemoryDocuments } from './memory-documents.js';
import { MemoryLedger } from './memory-ledger.js';
import { MemoryPartnerActivity } from './memory-partner-activity.js';
import { MemoryReputation } from './memory-reputation.js';
import { MemoryResults } from './memory-results.js';
import { MemoryRuns } from './memory-runs.js';

export class MemoryCampaigns implements CampaignStore {
  readonly versions = new Map<string, Campaign[]>();
  readonly records = new Map<string, CampaignRecord>();
  constructor(private readonly clock: Clock) {}

  async putCampaign(campaign: Campaign): Promise<CampaignRecord> {
    const versions = [...(this.versions.get(campaign.id) ?? []), structuredClone(campaign)];
    this.versions.set(campaign.id, versions);
    const record: CampaignRecord = {
      campaign: structuredClone(campaign),
      version: versions.length,
      paused: this.records.get(campaign.id)?.paused ?? false,
      updatedAt: this.clock.now().toISOString(),
    };
    this.records.set(campaign.id, record);
    return structuredClone(record);
  }
  async getCampaign(id: string): Promise<CampaignRecord | undefined> {
    return structuredClone(this.records.get(id));
  }
  async listCampaigns(): Promise<CampaignRecord[]> {
    return [...this.records.values()]
      .sort((a, b) => a.campaign.id.localeCompare(b.campaign.id))
      .map((r) => structuredClone(r));
  }
  async getCampaignVersion(id: string, version: number): Promise<Campaign | undefined> {
    return structuredClone(this.versions.get(id)?.[version - 1]);
  }
  async listCampaignVersions(id: string): Promise<{ version: number }[]> {
    return (this.versions.get(id) ?? []).map((_, i) => ({ version: i + 1 })).reverse();
  }
  async setPaused(id: string, paused: boolean): Promise<boolean> {
    const record = this.records.get(id);
    if (!record) return false;
    this.records.set(id, { ...record, paused, updatedAt: this.clock.now().toISOString() });
    return true;
  }
}

export class MemorySuppression implements SuppressionStore {
  readonly entries = new Map<string, SuppressionEntry>();
  async addSuppression(entry: SuppressionEntry): Promise<void> {
    this.entries.set(entry.address, { ...entry });
  }
  async removeSuppression(address: string): Promise<boolean> {
    return this.entries.delete(address);
  }
  async listSuppressions(): Promise<SuppressionEntry[]> {
    return [...this.entries.values()];
  }
  async suppressedAmong(addresses: readonly string[]): Promise<Set<string>> {
    return new Set(addresses.filter((a) => this.entries.has(a)));
  }
  async getSuppression(address: string): Promise<SuppressionEntry | undefined> {
    const entry = this.entries.get(address);
    return entry && { ...entry };
  }
}

export class MemoryPartners implements PartnerStore, WebhookReceipts {
  readonly partners = new Map<string, Partner>();
  readonly receipts = new Set<string>();
  async addPartner(partner: Partner): Promise<boolean> {
    if (this.partners.has(partner.id)) return false;
    this.partners.set(partner.id, structuredClone(partner));
    return true;
  }
  async rotatePartnerSecret(
    id: string,
    next: PartnerSecret,
    rolloverMs: number,
  ): Promise<Partner | undefined> {
    const partner = this.partners.get(id);
    if (!partner) return undefined;
    const rotated = { ...partner, secrets: rotateSecrets(partner.secrets, next, rolloverMs) };
    this.partners.set(id, rotated);
    return structuredClone(rotated);
  }
  async revokePartnerSecrets(id: string): Promise<Partner | undefined> {
    const partner = this.partners.get(id);
    if (!partner) return undefined;
    const revoked = { ...partner, secrets: [] };
    this.partners.set(id, revoked);
    return structuredClone(revoked);
  }
  async getPartner(id: string): Promise<Partner | undefined> {
    return structuredClone(this.partners.get(id));
  }
  async listPartners(): Promise<Partner[]> {
    return [...this.partners.values()].map((p) => structuredClone(p));
  }
  async hasWebhookReceipt(partnerId: string, webhookId: string): Promise<boolean> {
    return this.receipts.has(`${partnerId}|${webhookId}`);
  }
  async recordWebhookReceipt(partnerId: string, webhookId: string): Promise<boolean> {
    const key = `${partnerId}|${webhookId}`;
    if (this.receipts.has(key)) return false;
    this.receipts.add(key);
    return true;
  }
}

export class MemoryImportJobs implements ImportJobs {
  readonly jobs = new Map<string, ImportJob>();
  constructor(private readonly clock: Clock) {}
  async createImportJob(job: ImportJob): Promise<void> {
    this.jobs.set(job.id, structuredClone(job));
  }
  async getImportJob(id: string): Promise<ImportJob | undefined> {
    return structuredClone(this.jobs.get(id));
  }
  async updateImportJob(
    id: string,
    from: readonly ImportJobStatus[],
    update: ImportJobUpdate,
  ): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || !from.includes(job.status)) return false;
    this.jobs.set(id, { ...job, ...update, updatedAt: this.clock.now().toISOString() });
    return true;
  }
}

export type MemoryStores = Stores & {
  ledger: MemoryLedger;
  runs: MemoryRuns;
  documents: MemoryDocuments;
  campaigns: MemoryCampaigns;
  suppression: MemorySuppression;
  partners: MemoryPartners;
  partnerActivity: MemoryPartnerActivity;
  importJobs: MemoryImportJobs;
  reputation: MemoryReputation;
  results: MemoryResults;
  conversions: MemoryConversions;
  audit: MemoryAudit;
};

export function memoryStores(clock: Clock = { now: () => new Date() }): MemoryStores {
  const ledger = new MemoryLedger(clock);
  const runs = new MemoryRuns();
  const documents = new MemoryDocuments(ledger, runs);
  const partners = new MemoryPartners();
  return {
    due: documents,
    settings: documents,
    documents,
    customers: documents,
    campaigns: new MemoryCampaigns(clock),
    suppression: new MemorySuppression(),
    ledger,
    runs,
    partners,
    receipts: partners,
    partnerActivity: new MemoryPartnerActivity(),
    importJobs: new MemoryImportJobs(clock),
    reputation: new MemoryReputation(),
    consent: new MemoryConsent(documents),
    results: new MemoryResults(),
    conversions: new MemoryConversions(ledger),
    audit: new MemoryAudit(),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso) => {
      now = new Date(iso);
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
  };
}
