// SendBatch state (inside the Map, after the Wait for the batch's send time).
import { z } from 'zod';
import { sendBatch } from '../shared/usecases/run/send-batch.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const input = z.object({ runId: z.string().min(1), batchId: z.string().min(1) });

export const createHandler =
  (deps: Pick<Deps, 'store' | 'email' | 'sms' | 'clock' | 'links'>) => (event: unknown) =>
    sendBatch(deps, input.parse(event));

export const handler = lazyHandler(createHandler);
