// Builders for planner tests: a PlanInput with empty ledger and suppression list by default.
import type { Campaign, Channel, Customer } from '../../../shared/domain/documents.js';
import type { CampaignToPlan, PlanInput } from '../../../shared/domain/planner.js';
import {
  capDate,
  type Delivery,
  type DeliveryStatus,
  type Occurrence,
  type PlannedTouch,
} from '../../../shared/domain/touch.js';
import { SETTINGS } from './fixtures.js';

export const D = '2026-11-26';
export const occ = (c: Customer, occasion = '2026-09-27'): Occurrence => ({
  customer: c,
  anchorDate: occasion,
  occasion,
});

export function input(over: Partial<PlanInput> & { campaigns: CampaignToPlan[] }): PlanInput {
  return {
    date: D,
    settings: SETTINGS,
    ledger: new Map(),
    countedDueDates: () => [],
    suppressedAddresses: new Set(),
    ...over,
  };
}

export const due = (c: Campaign, occurrences: Occurrence[], paused = false): CampaignToPlan => ({
  campaign: c,
  paused,
  dueByStep: new Map(c.steps.map((s) => [s.id, occurrences])),
});

export const delivery = (t: PlannedTouch, status: DeliveryStatus): Delivery => ({
  ...t,
  status,
  runId: 'r0',
  updatedAt: t.sendAt,
});

/** Ledger-derived counts the way the store answers them: counted statuses, by the day each goes out. */
export const countedFrom = (rows: readonly Delivery[]) => (customerId: string, channel: Channel) =>
  rows
    .filter(
      (r) =>
        r.customerId === customerId &&
        r.channel === channel &&
        ['sent', 'reserved', 'unknown'].includes(r.status),
    )
    .map(capDate);
