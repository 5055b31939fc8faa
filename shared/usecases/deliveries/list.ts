// deliveries: the ledger, a page at a time (by customer in touch-key order, by campaign by due date).
// A `reserved` row whose lease ran out on the wall clock reads `unknown`: the run that reserved it
// died before confirming the send (docs/exactly-once.md).

import type { Delivery } from '../../domain/touch.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { CustomerDataStore, DeliveryPage, DeliveryPageRequest } from '../../ports/customer-data.js';
import { reviewed } from '../../ports/ledger.js';

export async function pageDeliveries(
  deps: { customers: CustomerDataStore; clock?: Clock },
  input: { campaignId?: string | undefined; customerId?: string | undefined; page: DeliveryPageRequest },
): Promise<DeliveryPage> {
  const page = await deps.customers.pageDeliveries(
    {
      ...(input.campaignId !== undefined && { campaignId: input.campaignId }),
      ...(input.customerId !== undefined && { customerId: input.customerId }),
    },
    input.page,
  );
  // The machine's clock, not a run's simulated one: leases are stamped with it.
  const now = (deps.clock ?? systemClock).now();
  return { ...page, deliveries: page.deliveries.map((d) => withFeedback(reviewed(d, now))) };
}

/**
 * Every row as the contract shows it: `deliveryEvents` (empty before any), and `delivery` for a sent
 * row (`sent` until a provider event says more; rows sent before feedback existed say `sent` too).
 */
export function withFeedback(d: Delivery): Delivery {
  const delivery = d.delivery ?? (d.status === 'sent' ? 'sent' : undefined);
  return { ...d, ...(delivery && { delivery }), deliveryEvents: d.deliveryEvents ?? [] };
}
