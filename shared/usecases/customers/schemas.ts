// One customer as the API answers and the CLI reads it: the view (`customer show`), the GDPR
// export and the erasure report.
import * as z from 'zod';
import { CONSENT_SOURCES } from '../../domain/consent.js';
import { deliverySchema } from '../../domain/delivery-schema.js';
// What the store holds, read with the rules it was written under (a document may predate a limit).
import {
  storedContractSchema as contractSchema,
  storedCustomerSchema as customerSchema,
  storedEventSchema as eventSchema,
} from '../../domain/documents.js';

/** `customer show ID --json` (README "The CLI"). */
/** One consent change (docs/consent.md). */
export const consentEntrySchema = z.object({
  at: z.string(),
  channel: z.enum(['email', 'sms']),
  topic: z.string().optional(),
  value: z.boolean(),
  source: z.enum(CONSENT_SOURCES),
  evidence: z.string().optional(),
});

export const customerViewSchema = z.object({
  customer: customerSchema,
  /** Null when the settings' tiers place nobody at this value (a pyramid without a 0 floor). */
  tier: z.string().nullable(),
  contracts: z.array(contractSchema),
  events: z.array(eventSchema),
  consent: z.object({ email: z.boolean(), sms: z.boolean(), topics: z.record(z.string(), z.boolean()) }),
  consentHistory: z.array(consentEntrySchema),
  touches: z.array(deliverySchema),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

export const customerExportSchema = z.object({
  exportedAt: z.string(),
  customer: customerSchema,
  contracts: z.array(contractSchema),
  events: z.array(z.record(z.string(), z.unknown())),
  deliveries: z.array(z.record(z.string(), z.unknown())),
  consent: z.object({
    current: z.object({
      email: z.boolean(),
      sms: z.boolean(),
      topics: z.record(z.string(), z.boolean()).optional(),
    }),
    history: z.array(consentEntrySchema).optional(),
    suppressions: z.array(z.record(z.string(), z.unknown())),
  }),
});

export const erasureReportSchema = z.object({
  anonymousId: z.string(),
  profile: z.boolean(),
  ledgerRows: z.number().int(),
  contracts: z.number().int(),
  events: z.number().int(),
  /** The customer's touches in run items (90-day plans of runs), anonymised. */
  runTouches: z.number().int(),
  /** Records removed from stores outside the table, by store (locally `localBusLog`, `localOutbox`). */
  elsewhere: z.record(z.string(), z.number().int()),
});
