// EventBridge rule target: partner customer events (detail = one Event document) into the store.
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import { CustomerData } from '../shared/store/customer-data.js';
import { Documents } from '../shared/store/documents.js';
import type { Stores } from '../shared/store/stores.js';
import { ingestEvent } from '../shared/usecases/ingest-event.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable } from './commons/table.js';

const envelope = z.object({ detail: z.unknown() });

export const createHandler =
  (deps: { store: Pick<Stores, 'documents'> }, log: Log = createLog(metricService('ingest-event'))) =>
  async (event: unknown) => {
    const { event: ingested, duplicate } = await ingestEvent(deps, envelope.parse(event).detail);
    // Ids and type only: the event's data may hold anything a partner sent.
    log.info('event ingested', { eventId: ingested.id, type: ingested.type, duplicate });
    return { duplicate };
  };

export const handler = lazyHandler(() => {
  const table = cloudTable(parseEnv('ingest-event').TABLE_NAME);
  return createHandler({ store: { documents: new Documents(table, new CustomerData(table)) } });
});
