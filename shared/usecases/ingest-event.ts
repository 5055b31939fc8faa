// A customer event from a partner (through the bus) or an import: enrolls event-anchored
// campaigns and moves last activity. The event id is the idempotency key. The bus consumer parses
// with the same eventSchema as every edge: what the webhook accepted, this stores; anything else
// (another publisher, a schema older than the API's) is refused with its paths, before any write.
import { type CustomerEvent, eventSchema } from '../domain/documents.js';
import { boundedId } from '../domain/limits.js';
import type { Stores } from '../store/stores.js';
import { type AttributionStores, attributeArrivals } from './results/attribute.js';

export class UnknownCustomerError extends Error {
  constructor(readonly customerId: string) {
    super(`no customer with id ${customerId}`);
    this.name = 'UnknownCustomerError';
  }
}

/** Not an Event document the store can keep: the paths and messages of what is wrong, never the values. */
export class InvalidEventError extends Error {
  constructor(
    /** The event's id when it has a usable one (a string of sane size). */
    readonly eventId: string | undefined,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `not a storable Event document: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidEventError';
  }
}

/** A path as logged: a 100 KB key is the sender's problem, not a 100 KB log line. */
const shortened = (path: string): string => (path.length > 200 ? `${path.slice(0, 200)}…` : path);

const idOf = (raw: unknown): string | undefined => {
  const id = boundedId().safeParse(
    typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'id') : undefined,
  );
  return id.success ? id.data : undefined;
};

export async function ingestEvent(
  deps: { store: Pick<Stores, 'documents'> & AttributionStores },
  raw: unknown,
): Promise<{ event: CustomerEvent; duplicate: boolean }> {
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidEventError(
      idOf(raw),
      parsed.error.issues.map((i) => ({ path: shortened(i.path.map(String).join('.')), message: i.message })),
    );
  const event = parsed.data;
  const known = await deps.store.documents.existingCustomerIds([event.customerId]);
  if (!known.has(event.customerId)) throw new UnknownCustomerError(event.customerId);
  const fresh = await deps.store.documents.putEvents([event]);
  const duplicate = !fresh.includes(event.id);
  // A new event may be a campaign's conversion (docs/attribution.md); a replay was attributed before.
  if (!duplicate) await attributeArrivals(deps.store, { events: [event], at: event.occurredAt });
  return { event, duplicate };
}
