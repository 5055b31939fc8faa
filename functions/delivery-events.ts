// EventBridge rule target: SES delivery events (bounce, complaint) feed the suppression list.
import { z } from 'zod';
import { applyDeliveryFeedback, sesEventDetail } from '../shared/usecases/delivery-feedback.js';
import { type Deps, lazyHandler } from './commons/deps.js';

const envelope = z.object({ detail: sesEventDetail });

export const createHandler = (deps: Pick<Deps, 'store' | 'clock'>) => (event: unknown) =>
  applyDeliveryFeedback(deps, envelope.parse(event).detail);

export const handler = lazyHandler(createHandler);
