// The checks a touch passes twice: when it is planned and again when it is sent (the facts may
// change in between, up to ~36 hours). Planner and send path both call this one function, so the
// two can never disagree on what stops a message (docs/send-time-checks.md).
import { consentAllows, topicOf } from './consent.js';
import type { Campaign, Channel, Customer } from './documents.js';

export type ContactReason = 'no-consent' | 'no-address' | 'suppressed-address';

export interface ContactFacts {
  campaign: Campaign;
  customer: Customer;
  channel: Channel;
  /** The customer's normalized address on the channel, if any. */
  address: string | undefined;
  /** Normalized addresses on the suppression list (at least those of this touch). */
  suppressedAddresses: ReadonlySet<string>;
}

/** The first of `no-consent`, `no-address`, `suppressed-address` that applies, in the contract's order. */
export function contactReason(f: ContactFacts): ContactReason | undefined {
  // The channel, and the campaign's topic (docs/consent.md).
  if (!consentAllows(f.customer.consent, f.channel, topicOf(f.campaign))) return 'no-consent';
  if (f.address === undefined) return 'no-address';
  if (f.suppressedAddresses.has(f.address)) return 'suppressed-address';
  return undefined;
}
