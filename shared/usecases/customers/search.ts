// customer search (the console): q is tried as a customer id (GetItem), an email (the sparse byEmail
// index, trimmed and lower-cased) and a phone number (byPhone, q read as an international number).
// Never a Scan: each reading of q is one key read or one index Query; every hit is then read from
// the table itself, so a stale index entry (an email changed a moment ago, an erased profile) never
// shows. docs/console.md, "Customer search".
import * as z from 'zod';
import { InvalidAddressError, normalizeEmail, normalizePhone } from '../../domain/addresses.js';
import type { Customer } from '../../domain/documents.js';
import { MAX_ID_BYTES, utf8Bytes } from '../../domain/limits.js';
import { tierOf } from '../../domain/tiers.js';
import type { CustomerDataStore } from '../../ports/customer-data.js';
import type { SettingsStore } from '../../ports/settings.js';

/** At most this many customers are answered (a family may share a phone or an address). */
export const SEARCH_MAX_RESULTS = 20;

export const customerHitSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  locale: z.string(),
  tier: z.string().optional(),
  /** How q found them: as the id, the email or the phone. */
  matched: z.enum(['id', 'email', 'phone']),
});
export const customerSearchSchema = z.object({ customers: z.array(customerHitSchema) });
export type CustomerSearch = z.infer<typeof customerSearchSchema>;
type Match = z.infer<typeof customerHitSchema>['matched'];

export interface SearchDeps {
  customers: Pick<CustomerDataStore, 'getCustomer' | 'customerIdsByEmail' | 'customerIdsByPhone'>;
  settings: Pick<SettingsStore, 'getSettings'>;
}

/** q as a phone number in E.164, when it reads as one (international format: `+` or `00`). */
function phoneOf(q: string): string | undefined {
  const compact = q.replace(/[\s().-]/g, '');
  if (!/^(\+|00)[1-9]\d{5,16}$/.test(compact)) return undefined;
  try {
    return normalizePhone(compact.startsWith('00') ? `+${compact.slice(2)}` : compact);
  } catch (err) {
    if (err instanceof InvalidAddressError) return undefined;
    throw err;
  }
}

export async function searchCustomers(deps: SearchDeps, q: string): Promise<CustomerSearch> {
  const text = q.trim();
  const phone = phoneOf(text);
  const [byId, byEmail, byPhone, settings] = await Promise.all([
    utf8Bytes(text) <= MAX_ID_BYTES ? deps.customers.getCustomer(text) : undefined,
    text.includes('@') ? deps.customers.customerIdsByEmail(normalizeEmail(text)) : [],
    phone !== undefined ? deps.customers.customerIdsByPhone(phone) : [],
    deps.settings.getSettings(),
  ]);
  const found = new Map<string, { customer: Customer; matched: Match }>();
  if (byId) found.set(byId.id, { customer: byId, matched: 'id' });
  const candidates: { id: string; matched: Match }[] = [
    ...byEmail.map((id) => ({ id, matched: 'email' as const })),
    ...byPhone.map((id) => ({ id, matched: 'phone' as const })),
  ].filter((c) => !found.has(c.id));
  const wanted = candidates.slice(0, SEARCH_MAX_RESULTS - found.size);
  const profiles = await Promise.all(wanted.map((c) => deps.customers.getCustomer(c.id)));
  wanted.forEach((c, i) => {
    const customer = profiles[i];
    if (!customer || found.has(customer.id)) return;
    // The index is eventually consistent: the profile as it is now must still match.
    const still =
      c.matched === 'email'
        ? customer.email !== undefined && normalizeEmail(customer.email) === normalizeEmail(text)
        : customer.phone === phone;
    if (still) found.set(customer.id, { customer, matched: c.matched });
  });
  return {
    customers: [...found.values()].slice(0, SEARCH_MAX_RESULTS).map(({ customer, matched }) => {
      const tier = tierOf(customer.monthlyValue, settings.tiers);
      return {
        id: customer.id,
        ...(customer.name !== undefined && { name: customer.name }),
        ...(customer.email !== undefined && { email: customer.email }),
        ...(customer.phone !== undefined && { phone: customer.phone }),
        locale: customer.locale,
        ...(tier !== undefined && { tier }),
        matched,
      };
    }),
  };
}
