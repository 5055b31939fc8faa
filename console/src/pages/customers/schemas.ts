// What the customer pages read, checked as they arrive: GET /customers?q= (shared/usecases/
// customers/search.ts), GET /customers/{id}/view and DELETE /customers/{id} (shared/usecases/
// customers/schemas.ts). Loose: fields the pages do not use may come and go.
import * as z from 'zod';

export const customerHitSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  locale: z.string(),
  tier: z.string().optional(),
  matched: z.string().optional(),
});
export const searchSchema = z.looseObject({ customers: z.array(customerHitSchema) });
export type CustomerHit = z.infer<typeof customerHitSchema>;

const consentEntry = z.looseObject({
  at: z.string(),
  channel: z.string(),
  topic: z.string().optional(),
  value: z.boolean(),
  source: z.string(),
  evidence: z.string().optional(),
});
export type ConsentEntry = z.infer<typeof consentEntry>;

export const deliverySchema = z.looseObject({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel: z.string(),
  occasion: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  dueDate: z.string(),
  sendAt: z.string(),
  runId: z.string(),
  tier: z.string().optional(),
  locale: z.string().optional(),
  address: z.string().optional(),
  providerMessageId: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.string(),
  leasedAt: z.string().optional(),
  delivery: z.string().optional(),
  deliveryEvents: z
    .array(
      z.looseObject({
        type: z.string(),
        state: z.string().optional(),
        at: z.string(),
        detail: z.string().optional(),
      }),
    )
    .optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const contractSchema = z.looseObject({
  id: z.string(),
  product: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  status: z.string(),
});

export const customerViewSchema = z.looseObject({
  customer: z.looseObject({
    id: z.string(),
    name: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    locale: z.string(),
    timeZone: z.string(),
    birthday: z.string().optional(),
    monthlyValue: z.number(),
    lastActivityAt: z.string().optional(),
  }),
  tier: z.string().nullable(),
  contracts: z.array(contractSchema),
  consent: z.looseObject({
    email: z.boolean(),
    sms: z.boolean(),
    topics: z.record(z.string(), z.boolean()).default({}),
  }),
  consentHistory: z.array(consentEntry),
  touches: z.array(deliverySchema),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

export const erasureSchema = z.looseObject({
  anonymousId: z.string(),
  ledgerRows: z.number(),
  contracts: z.number(),
  events: z.number(),
});
export type Erasure = z.infer<typeof erasureSchema>;
