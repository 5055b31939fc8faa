// Attribution's records in memory, reading the MemoryLedger's rows as the adapter reads the
// customer's partition (shared/store/conversions.ts).
import type { Delivery } from '../../../shared/domain/touch.js';
import type { ConversionRecord, ConversionStore, ExposureUnit } from '../../../shared/ports/conversions.js';
import type { MemoryLedger } from './memory-ledger.js';

const keyOf = (campaignId: string, customerId: string, occasion: string): string =>
  JSON.stringify([campaignId, customerId, occasion]);

export class MemoryConversions implements ConversionStore {
  readonly units = new Map<string, ExposureUnit>();
  readonly conversions = new Map<string, ConversionRecord>();
  /** Rows `campaignTouches` returned in all: what one arrival costs. */
  rowsRead = 0;

  constructor(private readonly ledger: MemoryLedger) {}

  async campaignTouches(customerId: string, campaignId: string): Promise<Delivery[]> {
    const rows = [...this.ledger.rows.values()].filter(
      (d) => d.customerId === customerId && d.campaignId === campaignId,
    );
    this.rowsRead += rows.length;
    return rows.map((d) => ({ ...d }));
  }

  async recordUnit(unit: ExposureUnit): Promise<boolean> {
    const k = keyOf(unit.campaignId, unit.customerId, unit.occasion);
    if (this.units.has(k)) return false;
    this.units.set(k, { ...unit, dims: { ...unit.dims } });
    return true;
  }

  async recordUnits(units: readonly ExposureUnit[]): Promise<boolean[]> {
    const recorded: boolean[] = [];
    for (const unit of units) recorded.push(await this.recordUnit(unit));
    return recorded;
  }

  async getUnit(campaignId: string, customerId: string, occasion: string): Promise<ExposureUnit | undefined> {
    return this.units.get(keyOf(campaignId, customerId, occasion));
  }

  async recordConversion(c: ConversionRecord): Promise<boolean> {
    const k = keyOf(c.campaignId, c.customerId, c.occasion);
    if (this.conversions.has(k)) return false;
    this.conversions.set(k, { ...c });
    return true;
  }

  async listConversions(customerId: string, campaignId?: string): Promise<ConversionRecord[]> {
    return [...this.conversions.values()].filter(
      (c) => c.customerId === customerId && (campaignId === undefined || c.campaignId === campaignId),
    );
  }
}
