// What the handlers are composed from. In the cloud each handler builds only what it uses, once
// per cold start (its own `handler` below its `createHandler`); the local runtime builds this whole
// shape over the emulators (local/runtime.ts) and passes it to every `createHandler`.
import type { EmailSender, SmsSender } from '../../shared/ports/channels.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { EventPublisher } from '../../shared/ports/events.js';
import type { RateSchedule } from '../../shared/ports/rate-budget.js';
import type { Stores } from '../../shared/store/stores.js';

export interface Deps {
  store: Stores;
  email: EmailSender;
  sms: SmsSender;
  events: EventPublisher;
  clock: Clock;
  links: { unsubscribeBaseUrl: string; unsubscribeSecret: string };
  /** The table's shared booking schedule (channel send rates, partner throttles); absent in unit tests. */
  rates?: RateSchedule;
  /** Batches per child execution of a run (plan-run's CHUNK_BATCHES when absent); tests and benches set it. */
  chunkBatches?: number;
}

/** Lambda's context, as far as handlers use it. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

type Handler<E, R> = (event: E, context?: InvocationContext) => Promise<R>;

/**
 * The Lambda entry point: builds the handler on the first invocation (not at import, so the local
 * runtime imports the same module with no AWS configuration) and reuses it. The environment is
 * parsed there, once; a failed build (a bad variable, an unreadable secret) is not kept, so the
 * next invocation reports it again instead of a half-built handler.
 */
export function lazyHandler<E, R>(build: () => Handler<E, R> | Promise<Handler<E, R>>): Handler<E, R> {
  let built: Promise<Handler<E, R>> | undefined;
  return async (event, context) => {
    built ??= Promise.resolve().then(build);
    const handle = await built.catch((err: unknown) => {
      built = undefined;
      throw err;
    });
    return handle(event, context);
  };
}
