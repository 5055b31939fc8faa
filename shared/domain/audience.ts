// Audience filters: each given list is a set of allowed values; all given filters must match.
import type { Campaign, Customer } from './documents.js';

export function inAudience(
  customer: Customer,
  tier: string | undefined,
  audience: Campaign['audience'],
): boolean {
  if (!audience) return true;
  if (audience.tiers && (tier === undefined || !audience.tiers.includes(tier))) return false;
  if (audience.locales && !audience.locales.includes(customer.locale)) return false;
  if (audience.attributes) {
    for (const [name, allowed] of Object.entries(audience.attributes)) {
      const value = customer.attributes?.[name];
      // includes() compares with SameValueZero: exact per type, so 1 never matches "1".
      if (value === undefined || !allowed.includes(value)) return false;
    }
  }
  return true;
}
