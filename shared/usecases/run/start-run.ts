// SelectRun: fixes what a run is for. An explicit date wins (CLI, API "run now") and is exactly that
// date. A scheduled firing plans the local date after the firing's UTC date, so every zone
// (UTC+14 … UTC−12) is still ahead of its send window when the execution starts, and catches up
// the earlier dates of the look-back that no run completed (docs/scheduling.md).
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import * as z from 'zod';
import { addDays } from '../../domain/calendar.js';
import { calendarDate, isoInstant } from '../../domain/documents.js';
import type { Clock } from '../../ports/clock.js';
import type { Stores } from '../../store/stores.js';

export const DEFAULT_LOOKBACK_DAYS = 2;

export const startRunInput = z
  .object({
    date: calendarDate.optional(),
    campaignId: z.string().min(1).optional(),
    scheduledTime: isoInstant.optional(),
    runId: z.string().min(1).optional(),
  })
  .refine((i) => i.date !== undefined || i.scheduledTime !== undefined, {
    message: 'needs a date (YYYY-MM-DD) or a scheduledTime',
  });
export type StartRunInput = z.infer<typeof startRunInput>;

export interface StartRunConfig {
  /** How many local dates before D a scheduled run looks back for missed runs (0 turns catch-up off). */
  lookbackDays: number;
}

export interface StartedRun {
  runId: string;
  date: string;
  campaignId?: string;
  scheduled?: boolean;
  /** Earlier dates planned by this run too, oldest first, their touches re-timed into `date`'s window. */
  catchUp?: string[];
}

export function dateForScheduledTime(scheduledTime: string): string {
  const date = DateTime.fromISO(scheduledTime, { zone: 'utc' }).plus({ days: 1 }).toISODate();
  if (!date) throw new RangeError(`not an instant: ${scheduledTime}`);
  return date;
}

/**
 * The dates in [D − lookback, D − 1] that no all-campaign run completed, but only after the first
 * scheduled run that ever completed: a fresh install (or one that only ever ran `run --date`)
 * catches up nothing, rather than flooding customers with a backlog from before it was live.
 */
export async function catchUpDates(
  store: Pick<Stores, 'runs'>,
  date: string,
  lookbackDays: number,
): Promise<string[]> {
  if (lookbackDays <= 0) return [];
  const first = await store.runs.firstScheduledDate();
  if (first === undefined) return [];
  const lookbackStart = addDays(date, -lookbackDays);
  const dayAfterFirst = addDays(first, 1);
  // ISO dates compare as strings: the later of the two bounds.
  const from = [lookbackStart, dayAfterFirst].sort()[1] ?? lookbackStart;
  const to = addDays(date, -1);
  if (from > to) return [];
  const done = await store.runs.completedDates(from, to);
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!done.has(d)) dates.push(d);
  return dates;
}

export async function startRun(
  deps: { store: Pick<Stores, 'runs'>; clock: Clock },
  input: StartRunInput,
  config: StartRunConfig = { lookbackDays: DEFAULT_LOOKBACK_DAYS },
): Promise<StartedRun> {
  const scheduled = input.date === undefined;
  const date = input.date ?? dateForScheduledTime(input.scheduledTime ?? '');
  // Completion is recorded only for all-campaign runs, so only those catch up.
  const catchUp =
    scheduled && input.campaignId === undefined
      ? await catchUpDates(deps.store, date, config.lookbackDays)
      : [];
  const runId = input.runId ?? ulid(deps.clock.now().getTime());
  await deps.store.runs.putRunMeta({
    runId,
    date,
    ...(input.campaignId && { campaignId: input.campaignId }),
    startedAt: deps.clock.now().toISOString(),
    status: 'planning',
    scheduled,
    ...(catchUp.length > 0 && { catchUp }),
  });
  return {
    runId,
    date,
    ...(input.campaignId && { campaignId: input.campaignId }),
    ...(scheduled && { scheduled }),
    ...(catchUp.length > 0 && { catchUp }),
  };
}
