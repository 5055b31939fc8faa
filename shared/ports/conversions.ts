// What attribution keeps per customer (docs/attribution.md): one record per campaign × customer ×
// occasion when the customer was first exposed (treated or held out), and one when that occasion
// converted. Both are written once (conditional puts), so counters count each exactly once, however
// often a run, an import or a webhook is repeated. They live in the customer's own partition, beside
// the ledger rows attribution reads: finding a customer's touches never scans the ledger.
import type { Delivery, TouchKey } from '../domain/touch.js';
import type { CounterDimensions } from './results.js';

export type ResultGroup = 'treated' | 'holdout';

/** A customer's occasion of a campaign, counted once in its group's `customers`. */
export interface ExposureUnit {
  campaignId: string;
  customerId: string;
  occasion: string;
  group: ResultGroup;
  /** The counter row the unit counts on: its first touch's (the unit's cohort day). */
  dims: CounterDimensions;
  /** When the unit was recorded (the run's clock). */
  at: string;
}

/** An occasion's conversion: the last touch before it, within the goal's window. */
export interface ConversionRecord {
  campaignId: string;
  customerId: string;
  occasion: string;
  group: ResultGroup;
  /** What converted: `event:<id>` or `contract:<id>:<end date>`. */
  sourceId: string;
  /** When it happened: the event's `occurredAt`, or the contract's arrival. */
  at: string;
  /** The touch it is attributed to. */
  touch: TouchKey;
  /** The counter row its group's `conversions` count on: the unit's. */
  dims: CounterDimensions;
}

export interface ConversionStore {
  /** The customer's ledger rows of one campaign: one Query of the customer's partition. */
  campaignTouches(customerId: string, campaignId: string): Promise<Delivery[]>;
  /** Records the unit unless it exists; returns whether this call recorded it. */
  recordUnit(unit: ExposureUnit): Promise<boolean>;
  /** recordUnit for many distinct units at once (a run's): whether this call recorded each. */
  recordUnits(units: readonly ExposureUnit[]): Promise<boolean[]>;
  getUnit(campaignId: string, customerId: string, occasion: string): Promise<ExposureUnit | undefined>;
  /** Records the occasion's conversion unless it has one; returns whether this call recorded it. */
  recordConversion(conversion: ConversionRecord): Promise<boolean>;
  /** The customer's conversion records (of one campaign when given). */
  listConversions(customerId: string, campaignId?: string): Promise<ConversionRecord[]>;
}
