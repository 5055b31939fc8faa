// EventBridge rule target: SES delivery events (bounce, complaint) feed the suppression list.
import * as z from 'zod';
import { parseEnv } from '../shared/config/env.js';
import { createLog, type Log } from '../shared/observability/log.js';
import { metricService } from '../shared/observability/metric-names.js';
import type { Clock } from '../shared/ports/clock.js';
import type { Stores } from '../shared/store/stores.js';
import { Suppressions } from '../shared/store/suppression.js';
import { applyDeliveryFeedback, sesEventDetail } from '../shared/usecases/delivery-feedback.js';
import { lazyHandler } from './commons/deps.js';
import { cloudTable, systemClock } from './commons/table.js';

const envelope = z.object({ detail: sesEventDetail });

export const createHandler =
  (
    deps: { store: Pick<Stores, 'suppression'>; clock: Clock },
    log: Log = createLog(metricService('delivery-events')),
  ) =>
  async (event: unknown) => {
    const result = await applyDeliveryFeedback(deps, envelope.parse(event).detail);
    // How many, never which: the suppressed entries are addresses.
    log.info('delivery event applied', { suppressed: result.suppressed.length });
    return result;
  };

export const handler = lazyHandler(() => {
  const table = cloudTable(parseEnv('delivery-events').TABLE_NAME);
  return createHandler({ store: { suppression: new Suppressions(table) }, clock: systemClock });
});
