// EventBridge rule target: partner customer events (detail = one Event document) into the store.
// An event it must refuse (not a storable Event, or a customer that no longer exists) is logged with
// its id, reason and paths (never its data) and fails the invocation: Lambda retries an
// asynchronous invocation twice, then the event lands in the function's DLQ, whose alarm fires; it
// never loops. The webhook edge refuses the same shapes before its 202, so this is a backstop.
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import { CustomerData } from '../shared/store/customer-data.js';
import { Documents } from '../shared/store/documents.js';
import type { Stores } from '../shared/store/stores.js';
import { InvalidEventError, ingestEvent, UnknownCustomerError } from '../shared/usecases/ingest-event.js';
import type { AttributionStores } from '../shared/usecases/results/attribute.js';
import { attributionStores } from './commons/attribution.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable } from './commons/table.js';

const envelope = z.object({ detail: z.unknown() });

export const createHandler =
  (
    deps: { store: Pick<Stores, 'documents'> & AttributionStores },
    log: Log = createLog(metricService('ingest-event')),
  ) =>
  async (event: unknown) => {
    const ingest = ingestEvent(deps, envelope.parse(event).detail).catch((err: unknown) => {
      if (err instanceof InvalidEventError)
        log.warn('event refused', { eventId: err.eventId, reason: 'invalid-event', issues: err.issues });
      else if (err instanceof UnknownCustomerError)
        log.warn('event refused', { reason: 'unknown-customer', customerId: err.customerId });
      throw err;
    });
    const { event: ingested, duplicate } = await ingest;
    // Ids and type only: the event's data may hold anything a partner sent.
    log.info('event ingested', { eventId: ingested.id, type: ingested.type, duplicate });
    return { duplicate };
  };

export const handler = lazyHandler(() => {
  const table = cloudTable(parseEnv('ingest-event').TABLE_NAME);
  const customers = new CustomerData(table);
  const documents = new Documents(table, customers);
  return createHandler({ store: { documents, ...attributionStores(table, { customers, documents }) } });
});
