// The demo's simulated population: customers whose fibre contracts end in December, touched (or held
// out) by the demo-only `fibre-renewal` campaign, who then renew with a probability that depends on
// having been touched. Everything is drawn from a fixed seed and each customer's id, so every run
// plays the same month and anyone can recompute who renewed, when and how from this file alone.
// Pure: the demo command applies the responses through the API (demo-responses.ts).
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Contract, customerSchema } from '../../shared/domain/documents.js';
import { isHeldOut } from '../../shared/domain/holdout.js';

type CustomerInput = z.input<typeof customerSchema>;

export const POPULATION_CAMPAIGN = 'fibre-renewal';
export const POPULATION_PRODUCT = 'fibre-100';
export const POPULATION_SIZE = 120;
export const POPULATION_SEED = 'touchpoint-demo-2026';
/** When the population is imported: the eve of the demo month. */
export const POPULATION_LOADED_AT = '2026-11-25T00:00:00.000Z';
/** The chance to renew within the window: touched customers are likelier to renew than held-out ones. */
export const RENEW_PROBABILITY = { treated: 0.45, holdout: 0.2 } as const;
/** A response comes 1 … MAX_DELAY_DAYS days after the touch (or the held-out touch's planned time). */
export const MAX_DELAY_DAYS = 10;

const ZONES = ['America/New_York', 'Europe/London', 'America/Chicago', 'Australia/Sydney'] as const;
const FIRST_NAMES = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun'] as const;
const LAST_NAMES = ['Park', 'Quinn', 'Reyes', 'Singh', 'Tan', 'Udo', 'Voss', 'Wong'] as const;

/** A deterministic draw in [0, 1) for a customer and a purpose: SHA-256 of seed, id and purpose. */
export function draw(customerId: string, purpose: string, seed = POPULATION_SEED): number {
  const digest = createHash('sha256').update(`${seed}:${customerId}:${purpose}`, 'utf8').digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

const pick = <T>(list: readonly T[], at: number): T => {
  const value = list[at % list.length];
  if (value === undefined) throw new Error('empty list');
  return value;
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface PopulationMember {
  customer: CustomerInput;
  contract: Contract;
}

/** The population: standard-tier customers, one fibre contract each, ending 2026-12-10 … 2026-12-24. */
export function population(size = POPULATION_SIZE): PopulationMember[] {
  return Array.from({ length: size }, (_, i) => {
    const n = 5001 + i;
    const customerId = `c-${n}`;
    const endDate = addDays('2026-12-10', i % 15);
    return {
      customer: {
        id: customerId,
        name: `${pick(FIRST_NAMES, i)} ${pick(LAST_NAMES, Math.floor(i / FIRST_NAMES.length))}`,
        email: `sim-${n}@example.com`,
        locale: 'en-US',
        timeZone: pick(ZONES, i),
        monthlyValue: 40,
        consent: { email: true, sms: false },
      },
      contract: {
        id: `k-${n}`,
        customerId,
        product: POPULATION_PRODUCT,
        startDate: addDays(endDate, -365),
        endDate,
        status: 'active',
      },
    };
  });
}

export type Group = 'treated' | 'holdout';

/** How a renewal reaches the store: the contract marked renewed, or a new contract that ends later. */
export type RenewalKind = 'status' | 'newContract';

export interface Response {
  customerId: string;
  group: Group;
  /** When the customer renews: the touch's time plus the drawn delay. */
  at: string;
  kind: RenewalKind;
  /** The contract the response writes (PUT /v1/contracts/{id}). */
  contract: Contract;
}

/**
 * What a customer does after a touch (sent: treated; held out: holdout) planned at `sendAt`:
 * renew or not, when, and how. Undefined when the draw says the customer does not renew.
 */
export function responseTo(
  member: PopulationMember,
  touch: { group: Group; sendAt: string },
): Response | undefined {
  const { customer, contract } = member;
  if (draw(customer.id, 'renews') >= RENEW_PROBABILITY[touch.group]) return undefined;
  const delayDays = 1 + Math.floor(draw(customer.id, 'delay') * MAX_DELAY_DAYS);
  const at = new Date(Date.parse(touch.sendAt) + delayDays * 86_400_000).toISOString();
  const kind: RenewalKind = draw(customer.id, 'kind') < 0.5 ? 'status' : 'newContract';
  const renewed: Contract =
    kind === 'status'
      ? { ...contract, status: 'renewed' }
      : {
          id: `${contract.id}-r`,
          customerId: contract.customerId,
          product: contract.product,
          startDate: addDays(contract.endDate, 1),
          endDate: addDays(contract.endDate, 365),
          status: 'active',
        };
  return { customerId: customer.id, group: touch.group, at, kind, contract: renewed };
}

/** The campaign's holdout share (its file says the same; demo-population.test.ts checks they agree). */
export const POPULATION_HOLDOUT_PERCENT = 50;

/**
 * What the month should show for the population, recomputed from the ids and the seed alone: who
 * is held out (the planner's deterministic holdout) and who renews. Every other customer is emailed.
 */
export function expectedTally(size = POPULATION_SIZE): Record<Group, { customers: number; renewed: number }> {
  const tally = { treated: { customers: 0, renewed: 0 }, holdout: { customers: 0, renewed: 0 } };
  for (const member of population(size)) {
    const group: Group = isHeldOut(POPULATION_CAMPAIGN, member.customer.id, POPULATION_HOLDOUT_PERCENT)
      ? 'holdout'
      : 'treated';
    tally[group].customers++;
    if (responseTo(member, { group, sendAt: `${member.contract.endDate}T00:00:00.000Z` }))
      tally[group].renewed++;
  }
  return tally;
}
