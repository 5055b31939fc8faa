// The demo's responding population (npm start): the same month on every run, touched customers
// likelier to renew than held-out ones, renewals inside the goal window by both routes the goal
// counts, and a holdout big enough for the results table to show an interval.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectedTally,
  MAX_DELAY_DAYS,
  POPULATION_CAMPAIGN,
  POPULATION_HOLDOUT_PERCENT,
  POPULATION_PRODUCT,
  population,
  RENEW_PROBABILITY,
  responseTo,
} from '../../../local/cli/demo-population.js';
import { POPULATION_CAMPAIGN_FILE } from '../../../local/cli/demo-responses.js';
import { campaignSchema } from '../../../shared/domain/documents.js';
import { MIN_GROUP_CUSTOMERS, MIN_TOTAL_CONVERSIONS } from '../../../shared/domain/uplift.js';

const DAY_MS = 86_400_000;
const touchAt = (endDate: string) => `${endDate}T14:00:00.000Z`;

describe('the demo population', () => {
  it('plays the same customers, contracts and responses on every run (seeded, order-free)', () => {
    const first = population();
    expect(population()).toEqual(first);
    const responses = (members: typeof first) =>
      members.map((m) => responseTo(m, { group: 'treated', sendAt: touchAt(m.contract.endDate) }));
    expect(responses([...first].reverse()).reverse()).toEqual(responses(first));
    expect(new Set(first.map((m) => m.customer.id)).size).toBe(first.length);
  });

  it('renews more often when touched: whoever renews held out also renews touched', () => {
    const members = population();
    const renews = (group: 'treated' | 'holdout') =>
      members.filter((m) => responseTo(m, { group, sendAt: touchAt(m.contract.endDate) }) !== undefined);
    const treated = renews('treated');
    const holdout = renews('holdout');
    expect(RENEW_PROBABILITY.treated).toBeGreaterThan(RENEW_PROBABILITY.holdout);
    expect(treated.length).toBeGreaterThan(holdout.length);
    for (const m of holdout) expect(treated).toContain(m);
  });

  it('renews inside the goal window after the touch, by status or by a new contract that ends later', () => {
    const goal = campaignSchema.parse(JSON.parse(readFileSync(POPULATION_CAMPAIGN_FILE, 'utf8'))).goal;
    expect(goal).toEqual({ type: 'contractRenewed', withinDays: 30 });
    const kinds = new Set<string>();
    for (const m of population()) {
      const sendAt = touchAt(m.contract.endDate);
      const r = responseTo(m, { group: 'treated', sendAt });
      if (!r) continue;
      kinds.add(r.kind);
      const after = Date.parse(r.at) - Date.parse(sendAt);
      expect(after).toBeGreaterThanOrEqual(DAY_MS);
      expect(after).toBeLessThanOrEqual(MAX_DELAY_DAYS * DAY_MS);
      expect(MAX_DELAY_DAYS).toBeLessThan(goal?.withinDays ?? 0);
      if (r.kind === 'status') expect(r.contract).toEqual({ ...m.contract, status: 'renewed' });
      else {
        expect(r.contract.id).not.toBe(m.contract.id);
        expect(r.contract).toMatchObject({
          customerId: m.customer.id,
          product: m.contract.product,
          status: 'active',
        });
        expect(r.contract.endDate > m.contract.endDate).toBe(true);
      }
    }
    expect([...kinds].sort()).toEqual(['newContract', 'status']);
  });

  it('has a holdout big enough for the results table to show an interval, not "not enough data"', () => {
    const campaign = campaignSchema.parse(JSON.parse(readFileSync(POPULATION_CAMPAIGN_FILE, 'utf8')));
    expect(campaign.id).toBe(POPULATION_CAMPAIGN);
    expect(campaign.holdoutPercent).toBe(POPULATION_HOLDOUT_PERCENT);
    const { treated, holdout } = expectedTally();
    expect(treated.customers).toBeGreaterThanOrEqual(MIN_GROUP_CUSTOMERS);
    expect(holdout.customers).toBeGreaterThanOrEqual(MIN_GROUP_CUSTOMERS);
    expect(treated.renewed + holdout.renewed).toBeGreaterThanOrEqual(MIN_TOTAL_CONVERSIONS);
    expect(treated.renewed / treated.customers).toBeGreaterThan(holdout.renewed / holdout.customers);
  });

  it('stays out of the example campaigns: its own product, no birthday, no activity anchor', () => {
    for (const { customer, contract } of population()) {
      expect(contract.product).toBe(POPULATION_PRODUCT);
      expect(customer).not.toHaveProperty('birthday');
      expect(customer).not.toHaveProperty('lastActivityAt');
      expect(contract.endDate >= '2026-12-10' && contract.endDate <= '2026-12-24').toBe(true);
    }
  });
});
