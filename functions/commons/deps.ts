// What every handler is composed from. The cloud builds it from the environment once per cold
// start (cloud.ts); the local runtime builds the same shape over the emulators (local/runtime.ts).

import type { EmailSender, SmsSender } from '../../shared/ports/channels.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { EventPublisher } from '../../shared/ports/events.js';
import type { Stores } from '../../shared/store/stores.js';

export interface Deps {
  store: Stores;
  email: EmailSender;
  sms: SmsSender;
  events: EventPublisher;
  clock: Clock;
  links: { unsubscribeBaseUrl: string; unsubscribeSecret: string };
}

type Handler<R> = (event: unknown) => Promise<R>;

/**
 * The Lambda entry point: builds the cloud dependencies on the first invocation (not at import,
 * so the local runtime can import the same module without AWS configuration) and reuses them.
 */
export function lazyHandler<R>(create: (deps: Deps) => Handler<R>): Handler<R> {
  let built: Handler<R> | undefined;
  return async (event) => {
    if (!built) {
      const { cloudDeps } = await import('./cloud.js');
      built = create(await cloudDeps());
    }
    return built(event);
  };
}
