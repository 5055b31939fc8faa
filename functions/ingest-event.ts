// EventBridge rule target: partner customer events (detail = one Event document) into the store.
import { z } from 'zod';
import { ingestEvent } from '../shared/usecases/ingest-event.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const envelope = z.object({ detail: z.unknown() });

export const createHandler = (deps: Pick<Deps, 'store'>) => async (event: unknown) => {
  const { duplicate } = await ingestEvent(deps, envelope.parse(event).detail);
  return { duplicate };
};

export const handler = lazyHandler(createHandler);
