// Realistic sample values for checking a campaign's templates: SMS lengths are counted on these,
// so they are as long as real data usually is (a full name, a real product id, a real URL).
import { Drop } from 'liquidjs';
import type { Campaign, Customer } from './documents.js';
import { MAX_NAME_CHARS } from './limits.js';

/** Free-form data (attributes, event.data): any key renders as a plausible short value. */
export class SampleData extends Drop {
  override liquidMethodMissing(): string {
    return 'SAMPLE-4821';
  }
}

export const SAMPLE_UNSUBSCRIBE_URL = 'https://touchpoint.example.com/u/01JD3XQ7Z8M9N0P1Q2R3S4T5V6';

const isChinese = (locale: string): boolean => /^zh(-|$)/i.test(locale);

export function sampleCustomer(locale: string): Customer {
  return {
    id: 'c-000123',
    name: isChinese(locale) ? '欧阳晓明' : 'Alexandra Montgomery',
    email: 'alexandra.montgomery@example.com',
    phone: '+14155550123',
    locale,
    timeZone: 'America/Los_Angeles',
    birthday: '1990-07-14',
    monthlyValue: 128,
    consent: { email: true, sms: true },
    lastActivityAt: '2026-09-27T18:00:00Z',
  };
}

/**
 * The costliest name an SMS can carry: MAX_NAME_CHARS characters (the schema's cap), none of them in
 * GSM-7 and each two UTF-16 units (𠮷, in Japanese and Chinese names), so the SMS goes as UCS-2 at
 * its longest. An SMS template that fits with it fits every customer the edge accepts.
 */
export const WORST_CASE_NAME = '𠮷'.repeat(MAX_NAME_CHARS);

/** The same scope with the customer renamed (for the worst-case SMS length). */
export function withCustomerName(scope: Record<string, unknown>, name: string): Record<string, unknown> {
  const customer = scope.customer;
  return typeof customer === 'object' && customer !== null
    ? { ...scope, customer: { ...customer, name } }
    : scope;
}

const longest = (values: readonly string[] | undefined, fallback: string): string =>
  (values ?? []).reduce((a, b) => (b.length > a.length ? b : a), fallback);

/** The scope a template of this campaign sees, filled with sample values for `locale`. */
export function sampleScope(
  campaign: Pick<Campaign, 'id' | 'name' | 'anchor'> & {
    steps: readonly Pick<Campaign['steps'][number], 'id' | 'offsetDays'>[];
  },
  stepIndex: number,
  locale: string,
): Record<string, unknown> {
  const customer = sampleCustomer(locale);
  const step = campaign.steps[stepIndex] ?? campaign.steps[0];
  const anchor = campaign.anchor;
  const scope: Record<string, unknown> = {
    customer: { ...customer, tier: 'business', attributes: new SampleData() },
    campaign: { id: campaign.id, name: campaign.name },
    step: step ? { id: step.id, offsetDays: step.offsetDays } : undefined,
    unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
  };
  switch (anchor.type) {
    case 'contractEnd':
    case 'contractStart': {
      const contract = {
        id: 'k-000456',
        customerId: customer.id,
        product: longest(anchor.products, 'mobile-plan-128'),
        startDate: '2025-12-31',
        endDate: '2026-12-31',
        status: 'active',
      };
      // Without the settings' catalog a product reads as its SKU, as at send time.
      scope.contract = { ...contract, productName: contract.product };
      scope.occasion = `${contract.id}:${anchor.type === 'contractEnd' ? contract.endDate : contract.startDate}`;
      break;
    }
    case 'event':
      scope.event = {
        id: 'ev-01JD3XQ7Z8M9',
        customerId: customer.id,
        type: anchor.eventType,
        occurredAt: '2026-11-24T08:30:00Z',
        data: new SampleData(),
      };
      scope.occasion = 'ev-01JD3XQ7Z8M9';
      break;
    case 'lastActivity':
      scope.occasion = '2026-09-27';
      break;
    case 'birthday':
      scope.occasion = '2026';
      break;
  }
  return scope;
}
