// Small builders for domain tests: a valid document with just the fields a test cares about.
import type { Campaign, Contract, Customer, Settings } from '../../../shared/domain/documents.js';
import { campaignSchema, defaultSettings } from '../../../shared/domain/documents.js';

export const SETTINGS: Settings = defaultSettings();

export function customer(id: string, over: Partial<Customer> = {}): Customer {
  return {
    id,
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    phone: '+14155550123',
    locale: 'en-US',
    timeZone: 'America/Los_Angeles',
    monthlyValue: 50,
    consent: { email: true, sms: true },
    ...over,
  };
}

export function contract(id: string, customerId: string, over: Partial<Contract> = {}): Contract {
  return {
    id,
    customerId,
    product: 'mobile-plan-88',
    startDate: '2025-12-10',
    endDate: '2026-12-10',
    status: 'active',
    ...over,
  };
}

/** A campaign through the schema (so defaults apply), with email+sms templates for every step. */
export function campaign(over: Record<string, unknown> = {}): Campaign {
  return campaignSchema.parse({
    id: 'camp',
    name: 'Campaign',
    priority: 10,
    anchor: { type: 'lastActivity' },
    steps: [
      {
        id: 's1',
        offsetDays: 0,
        channels: { key: ['email', 'sms'], business: ['email'], standard: ['email'] },
        template: 't',
      },
    ],
    sendWindow: { start: '09:00', end: '18:00' },
    fallbackLocale: 'en-US',
    templates: {
      t: {
        email: { 'en-US': { subject: 'Hi {{ customer.name }}', text: 'Hello {{ customer.name }}' } },
        sms: { 'en-US': { text: 'Hello {{ customer.name }}. STOP to opt out' } },
      },
    },
    ...over,
  });
}
