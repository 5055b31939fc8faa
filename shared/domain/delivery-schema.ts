// The ledger row as data: one schema for the store reading its items back, the API documenting
// GET /v1/deliveries, and the CLI reading that API's pages.
import * as z from 'zod';
import { channel } from './channels.js';
import { DELIVERY_STATES } from './delivery-states.js';

export const touchKeySchema = z.object({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel,
  occasion: z.string(),
});

export const deliveryStatus = z.enum([
  'reserved',
  'sent',
  'suppressed',
  'failed',
  'unknown',
  'deferred',
  'expired',
]);

export const deliverySchema = touchKeySchema.extend({
  status: deliveryStatus,
  reason: z.string().optional(),
  dueDate: z.string(),
  sendDate: z.string().optional(),
  sendAt: z.string(),
  runId: z.string(),
  tier: z.string().optional(),
  locale: z.string().optional(),
  address: z.string().optional(),
  providerMessageId: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.string(),
  leasedAt: z.string().optional(),
  events: z.array(z.object({ type: z.string(), at: z.string() })).optional(),
  /** What happened to the message after the send: the state of its latest provider event. */
  delivery: z.enum(DELIVERY_STATES).optional(),
  /** The provider's events for the message, in the order they arrived (docs/delivery-feedback.md). */
  deliveryEvents: z
    .array(
      z.object({
        type: z.string(),
        state: z.enum(DELIVERY_STATES).optional(),
        at: z.string(),
        detail: z.string().optional(),
        id: z.string(),
      }),
    )
    .optional(),
});
