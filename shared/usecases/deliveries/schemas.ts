// A page of the ledger as the API answers it and the CLI reads it.
import * as z from 'zod';
import { deliverySchema } from '../../domain/delivery-schema.js';

export const deliveryPageSchema = z.object({
  deliveries: z.array(deliverySchema),
  nextCursor: z.string().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/** POST /v1/deliveries/release's answer (the request schema is beside the use case). */
export const deliveryReleasedSchema = z.object({ released: z.literal(true), delivery: deliverySchema });
