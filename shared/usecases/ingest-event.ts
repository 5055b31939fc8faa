// A customer event from a partner (through the bus) or an import: enrolls event-anchored
// campaigns and moves last activity. The event id is the idempotency key.
import { type CustomerEvent, eventSchema } from '../domain/documents.js';
import type { Stores } from '../store/stores.js';

export class UnknownCustomerError extends Error {
  constructor(readonly customerId: string) {
    super(`no customer with id ${customerId}`);
    this.name = 'UnknownCustomerError';
  }
}

export async function ingestEvent(
  deps: { store: Pick<Stores, 'documents'> },
  raw: unknown,
): Promise<{ event: CustomerEvent; duplicate: boolean }> {
  const event = eventSchema.parse(raw);
  const known = await deps.store.documents.existingCustomerIds([event.customerId]);
  if (!known.has(event.customerId)) throw new UnknownCustomerError(event.customerId);
  const fresh = await deps.store.documents.putEvents([event]);
  return { event, duplicate: !fresh.includes(event.id) };
}
