export interface Clock {
  now(): Date;
}

/** The machine's clock: every adapter's default and the handlers' clock (tests pass their own). */
export const systemClock: Clock = { now: () => new Date() };
