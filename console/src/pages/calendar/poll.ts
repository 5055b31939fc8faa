// Polling a run's status until it ends, with a deadline: a setTimeout loop whose delay grows
// (1 s, 1.5 s, 2.25 s … at most 5 s), never a fixed sleep; `stop()` ends it (the page unmounts).
// Unit-tested with fake timers (test/unit/console/calendar-poll.test.ts).

export interface PollOptions {
  firstDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Give up this long after the start; the caller says so (the run may still finish later). */
  deadlineMs: number;
  now?: () => number;
}

export const RUN_POLL: PollOptions = {
  firstDelayMs: 1000,
  maxDelayMs: 5000,
  factor: 1.5,
  deadlineMs: 180_000,
};

export interface PollHandlers<T> {
  /** Each answer, done or not. */
  update(value: T): void;
  /** The answer `done` accepted: polling has stopped. */
  finish(value: T): void;
  /** The deadline passed first. */
  timeout(): void;
  /** A check failed: polling has stopped. */
  error(err: unknown): void;
}

export const nextDelay = (previous: number, o: PollOptions): number =>
  Math.min(o.maxDelayMs, Math.round(previous * o.factor));

/** Starts at once (the first check runs after `firstDelayMs`) and returns `stop`. */
export function pollUntil<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  handlers: PollHandlers<T>,
  options: PollOptions = RUN_POLL,
): () => void {
  const now = options.now ?? Date.now;
  const deadline = now() + options.deadlineMs;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      check().then(
        (value) => {
          if (stopped) return;
          handlers.update(value);
          if (done(value)) {
            stopped = true;
            handlers.finish(value);
          } else if (now() >= deadline) {
            stopped = true;
            handlers.timeout();
          } else schedule(Math.min(nextDelay(delay, options), Math.max(0, deadline - now())));
        },
        (err: unknown) => {
          if (stopped) return;
          stopped = true;
          handlers.error(err);
        },
      );
    }, delay);
  };
  schedule(options.firstDelayMs);
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}
