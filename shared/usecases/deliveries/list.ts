// deliveries: the ledger, a page at a time (by customer in touch-key order, by campaign by due date).
import type { CustomerDataStore, DeliveryPage, DeliveryPageRequest } from '../../ports/customer-data.js';

export function pageDeliveries(
  deps: { customers: CustomerDataStore },
  input: { campaignId?: string | undefined; customerId?: string | undefined; page: DeliveryPageRequest },
): Promise<DeliveryPage> {
  return deps.customers.pageDeliveries(
    {
      ...(input.campaignId !== undefined && { campaignId: input.campaignId }),
      ...(input.customerId !== undefined && { customerId: input.customerId }),
    },
    input.page,
  );
}
