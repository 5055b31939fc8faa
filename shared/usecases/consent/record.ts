// Records one consent change (an unsubscribe link, an SMS keyword, a complaint, an API call): the
// one way current consent changes apart from imports and API writes of the customer document.
import * as z from 'zod';
import { channel } from '../../domain/channels.js';
import { CONSENT_SOURCES, type ConsentChange, type ConsentSource } from '../../domain/consent.js';
import { isoInstant } from '../../domain/fields.js';
import { boundedId, MAX_CONSENT_EVIDENCE_CHARS } from '../../domain/limits.js';
import type { ConsentOutcome, ConsentStore } from '../../ports/consent.js';

export type { ConsentChange, ConsentSource };

const consentChangeSchema = z.strictObject({
  customerId: boundedId(),
  channel,
  topic: boundedId().optional(),
  value: z.boolean(),
  source: z.enum(CONSENT_SOURCES),
  at: isoInstant,
  evidence: z
    .string()
    .max(MAX_CONSENT_EVIDENCE_CHARS, `must be at most ${MAX_CONSENT_EVIDENCE_CHARS} characters`)
    .optional(),
});

/** A change that cannot be recorded as given (an instant that is not one, an oversized evidence). */
export class InvalidConsentChangeError extends Error {
  constructor(readonly detail: string) {
    super(`invalid consent change: ${detail}`);
    this.name = 'InvalidConsentChangeError';
  }
}

/**
 * Appends to the customer's consent history and updates current consent; the same change twice
 * (same customer, channel, topic, value, source, evidence) has one effect. Throws
 * InvalidConsentChangeError for a change that does not fit, and records nothing then.
 */
export async function recordConsentChange(
  deps: { store: { consent: ConsentStore } },
  change: ConsentChange,
): Promise<ConsentOutcome> {
  const parsed = consentChangeSchema.safeParse(change);
  if (!parsed.success) throw new InvalidConsentChangeError(z.prettifyError(parsed.error));
  const c = parsed.data;
  // One form of instant, so the history sorts by its text.
  const at = new Date(c.at).toISOString();
  return deps.store.consent.recordChange({
    customerId: c.customerId,
    channel: c.channel,
    ...(c.topic !== undefined && { topic: c.topic }),
    value: c.value,
    source: c.source,
    at,
    ...(c.evidence !== undefined && { evidence: c.evidence }),
  });
}
