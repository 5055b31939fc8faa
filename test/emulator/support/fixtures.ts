// Small document builders for store tests: valid by the domain schemas, overridable per test.
import { readFileSync } from 'node:fs';
import {
  type Campaign,
  type Contract,
  type Customer,
  type CustomerEvent,
  campaignSchema,
  contractSchema,
  customerSchema,
  eventSchema,
} from '../../../shared/domain/documents.js';
import type { PlannedTouch } from '../../../shared/domain/touch.js';

export const customer = (over: Partial<Customer> & { id: string }): Customer =>
  customerSchema.parse({
    name: `Customer ${over.id}`,
    email: `${over.id}@example.com`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 50,
    consent: { email: true, sms: true },
    ...over,
  });

export const contract = (over: Partial<Contract> & { id: string; customerId: string }): Contract =>
  contractSchema.parse({
    product: 'mobile-plan-38',
    startDate: '2025-12-01',
    endDate: '2026-12-01',
    status: 'active',
    ...over,
  });

export const event = (over: Partial<CustomerEvent> & { id: string; customerId: string }): CustomerEvent =>
  eventSchema.parse({ type: 'login', occurredAt: '2026-11-01T10:00:00Z', ...over });

export const exampleCampaign = (name: string): Campaign =>
  campaignSchema.parse(
    JSON.parse(readFileSync(new URL(`../../../examples/campaigns/${name}.json`, import.meta.url), 'utf8')),
  );

export const touch = (over: Partial<PlannedTouch> = {}): PlannedTouch => ({
  campaignId: 'renewal',
  stepId: 'd30',
  customerId: 'c-1',
  channel: 'email',
  occasion: 'k-1:2026-12-01',
  tier: 'standard',
  locale: 'en-US',
  dueDate: '2026-11-01',
  sendAt: '2026-11-01T09:00:00.000Z',
  windowEnd: '2026-11-01T17:00:00.000Z',
  status: 'planned',
  address: 'c-1@example.com',
  template: 'renewal',
  ...over,
});

/** The API's config in the ops tests: a bearer token, a day's rollover, a 64 KiB body limit. */
export const opsTestConfig = (opsToken: string) => ({
  opsToken,
  secretRolloverMs: 86_400_000,
  maxBodyBytes: 64 * 1024,
  unsubscribeSecret: 'unsub-secret',
  pseudonymKey: 'pseudonym-key',
});

/** Each customer's contract `k-<id>` of `product`, active, ending on `endDate` (written as the CLI imports it). */
export const contractsEndingOn = (customers: readonly { id: string }[], endDate: string, product: string) =>
  customers.map((c) => ({
    id: `k-${c.id}`,
    customerId: c.id,
    product,
    startDate: '2025-11-26',
    endDate,
    status: 'active',
  }));

/** A one-step campaign on the contract's end day, standard tier, 09:00–18:00: the CLI tests' document. */
export const renewalDayCampaign = (
  over: { id: string; name: string; channels: string[]; templates: Record<string, unknown> } & Record<
    string,
    unknown
  >,
) => {
  const { channels, ...rest } = over;
  return {
    priority: 10,
    anchor: { type: 'contractEnd' },
    steps: [{ id: 'd0', offsetDays: 0, channels: { standard: channels }, template: 't' }],
    sendWindow: { start: '09:00', end: '18:00' },
    fallbackLocale: 'en-US',
    ...rest,
  };
};
