// A page of the ledger as the API answers it and the CLI reads it.
import * as z from 'zod';
import { deliverySchema } from '../../domain/delivery-schema.js';

export const deliveryPageSchema = z.object({
  deliveries: z.array(deliverySchema),
  nextCursor: z.string().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;
