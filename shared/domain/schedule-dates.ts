// Which local date a scheduled firing plans (docs/scheduling.md). The date is a pure function of the
// firing's *scheduled* time, read in the schedule's own zone, plus a day count fixed at synth:
//
//     D = (local date of scheduledTime in the schedule's zone) + daysAhead
//
// One firing per local day (a cron at one fixed local time) therefore gives consecutive dates:
// none skipped or doubled across DST changes, late Scheduler retries or replays. `daysAhead` is the
// smallest count for which every zone's local day D (and so every send window in it) is still
// ahead when the run starts: the earliest zone, UTC+14, starts D at (D − 1) 10:00 UTC.
import { IANAZone } from 'luxon';
import { addDays, localDate } from './calendar.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The earliest zone that exists (Pacific/Kiritimati): a local day starts at (day − 1) 10:00 UTC. */
export const EARLIEST_OFFSET_HOURS = 14;
/** The latest zone (UTC−12): a local day ends at (day + 1) 12:00 UTC. */
export const LATEST_OFFSET_HOURS = -12;
/** Time a run may take from its firing to its first send (select + plan, with Lambda retries). */
export const PLANNING_MARGIN_HOURS = 1;
/** The run state machine's timeout: a run must close its last window of D before it. */
export const RUN_TIMEOUT_HOURS = 4 * 24;

export class UnworkableScheduleError extends Error {
  constructor(
    readonly expression: string,
    readonly timeZone: string,
    reason: string,
  ) {
    super(`schedule ${expression} in ${timeZone} cannot drive the daily run: ${reason}`);
    this.name = 'UnworkableScheduleError';
  }
}

/** The scheduled run's date: the firing's local date in the schedule's zone plus `daysAhead`. */
export function runDateForFiring(scheduledTime: string, timeZone: string, daysAhead: number): string {
  return addDays(localDate(scheduledTime, timeZone), daysAhead);
}

/** The UTC instant (ms) the local day `date` starts in the earliest zone. */
export const earliestDayStartMs = (date: string): number =>
  Date.parse(`${date}T00:00:00Z`) - EARLIEST_OFFSET_HOURS * HOUR_MS;
/** The UTC instant (ms) the local day `date` ends in the latest zone. */
export const latestDayEndMs = (date: string): number =>
  Date.parse(`${date}T00:00:00Z`) + DAY_MS - LATEST_OFFSET_HOURS * HOUR_MS;

/** The offsets (minutes) a zone uses over two years from `from`, sampled twice a day (offsets last months). */
function offsetsOf(timeZone: string, from: Date): number[] {
  const zone = IANAZone.create(timeZone);
  const seen = new Set<number>();
  for (let t = from.getTime(); t < from.getTime() + 2 * 366 * DAY_MS; t += DAY_MS / 2)
    seen.add(zone.offset(t));
  return [...seen];
}

export interface DailySchedule {
  /** Local time of the firing, minutes after midnight. */
  minuteOfDay: number;
  daysAhead: number;
  /** Longest time from a firing to the last window close of its D, hours. */
  longestRunHours: number;
}

/**
 * Reads a daily run's schedule: an EventBridge Scheduler `cron(min hour dom month dow year)` with
 * one minute and one hour (one firing per local day; days may be left out, catch-up covers them),
 * and derives `daysAhead`. Refuses `rate()`/`at()` and several firings a day: those would plan a
 * date twice or skip one.
 */
export function dailySchedule(expression: string, timeZone: string, from = new Date()): DailySchedule {
  const cron = /^cron\((\S+)\s+(\S+)\s+\S+\s+\S+\s+\S+\s+\S+\)$/.exec(expression.trim());
  const refuse = (reason: string) => new UnworkableScheduleError(expression, timeZone, reason);
  if (!cron?.[1] || !cron[2])
    throw refuse('expected cron(min hour dom month dow year); rate() and at() have no local day');
  if (!/^\d{1,2}$/.test(cron[1]) || !/^\d{1,2}$/.test(cron[2]))
    throw refuse(
      'minute and hour must be single numbers: a run fires once a local day, or it plans a date twice',
    );
  const minute = Number(cron[1]);
  const hour = Number(cron[2]);
  if (minute > 59 || hour > 23) throw refuse('minute or hour out of range');
  if (!IANAZone.isValidZone(timeZone)) throw refuse('not an IANA time zone');
  const offsets = offsetsOf(timeZone, from);
  const minOffset = Math.min(...offsets);
  const maxOffset = Math.max(...offsets);
  const local = (hour * 60 + minute) * 60_000;
  // Firing instant after the UTC midnight of its local date: at most t − minOffset, plus the size of a
  // DST gap (a firing inside the gap runs after it); at least t − maxOffset.
  const latestFiring = local - minOffset * 60_000 + (maxOffset - minOffset) * 60_000;
  const earliestFiring = local - maxOffset * 60_000;
  // Need: firing + margin ≤ start of D in UTC+14 = (D − 1) 10:00 UTC, D = L + daysAhead.
  const needed = latestFiring + PLANNING_MARGIN_HOURS * HOUR_MS - (24 - EARLIEST_OFFSET_HOURS) * HOUR_MS;
  const daysAhead = Math.max(1, 1 + Math.ceil(needed / DAY_MS));
  // Last window close of D in UTC−12 = (D + 1) 12:00 UTC.
  const lastClose = (daysAhead + 1) * DAY_MS - LATEST_OFFSET_HOURS * HOUR_MS;
  const longestRunHours = (lastClose - earliestFiring) / HOUR_MS;
  if (longestRunHours > RUN_TIMEOUT_HOURS)
    throw refuse(`a run would last ${longestRunHours} h, over the ${RUN_TIMEOUT_HOURS} h run timeout`);
  return { minuteOfDay: hour * 60 + minute, daysAhead, longestRunHours };
}
