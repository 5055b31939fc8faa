// SelectRun: fixes what a run is for. An explicit date wins (CLI, API "run now") and is exactly that
// date. A scheduled firing plans D = its local date in the schedule's zone + daysAhead (fixed at
// synth so every zone, UTC+14 … UTC−12, is still ahead of D's windows when the execution starts),
// and catches up the earlier dates of the look-back that no run completed and none is still
// running (docs/scheduling.md).
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import * as z from 'zod';
import { addDays } from '../../domain/calendar.js';
import { calendarDate, isoInstant } from '../../domain/documents.js';
import { RUN_TIMEOUT_HOURS, runDateForFiring } from '../../domain/schedule-dates.js';
import type { Clock } from '../../ports/clock.js';
import type { Stores } from '../../store/stores.js';
import { type IntradaySlice, startIntradayRun } from './intraday.js';

export const DEFAULT_LOOKBACK_DAYS = 2;

/** A schedule firing that already started a run (a retry or replay): the state machine ends it as a success. */
export class FiringAlreadyStartedError extends Error {
  constructor(readonly scheduledTime: string) {
    super(`the firing of ${scheduledTime} already started a run`);
    this.name = 'FiringAlreadyStartedError';
  }
}

export const startRunInput = z
  .object({
    date: calendarDate.optional(),
    campaignId: z.string().min(1).optional(),
    scheduledTime: isoInstant.optional(),
    /** The daily schedule's zone and day count (fixed at synth, in its input): D = local date + daysAhead. */
    scheduleTimeZone: z.string().min(1).max(64).optional(),
    daysAhead: z.number().int().min(0).max(7).optional(),
    runId: z.string().min(1).optional(),
    /** `intraday`: the hourly slice for event and contract-start anchors (./intraday.ts). */
    kind: z.enum(['daily', 'intraday']).optional(),
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
  /** An intraday run: the firing it answers (./intraday.ts). */
  intraday?: IntradaySlice;
}

/**
 * The date a scheduled firing plans: its local date in the schedule's zone plus `daysAhead`
 * (shared/domain/schedule-dates.ts). Without them (an input from before they were passed): UTC and 1.
 */
export function dateForScheduledTime(scheduledTime: string, timeZone = 'UTC', daysAhead = 1): string {
  if (!DateTime.fromISO(scheduledTime).isValid) throw new RangeError(`not an instant: ${scheduledTime}`);
  return runDateForFiring(scheduledTime, timeZone, daysAhead);
}

/**
 * The dates in [D − lookback, D − 1] that no all-campaign run completed and none is still running,
 * but only after the first scheduled run that ever completed: a fresh install (or one that only
 * ever ran `run --date`) catches up nothing, rather than flooding customers with a backlog from
 * before it was live. A date is still running when a run claimed it less than the run timeout ago
 * and that run's meta is neither completed nor failed: yesterday's execution, still waiting for
 * the western windows of its date, keeps its touches (docs/scheduling.md).
 */
export async function catchUpDates(
  store: Pick<Stores, 'runs'>,
  date: string,
  lookbackDays: number,
  now: Date,
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
  const [done, running] = await Promise.all([
    store.runs.completedDates(from, to),
    runningDates(store, from, to, now),
  ]);
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!done.has(d) && !running.has(d)) dates.push(d);
  return dates;
}

/** Dates in [from, to] claimed by a run that may still be executing (younger than the run timeout, not ended). */
async function runningDates(
  store: Pick<Stores, 'runs'>,
  from: string,
  to: string,
  now: Date,
): Promise<Set<string>> {
  const since = new Date(now.getTime() - RUN_TIMEOUT_HOURS * 3_600_000).toISOString();
  const claims = (await store.runs.dateClaims(from, to)).filter((c) => c.startedAt > since);
  const live = new Map<string, boolean>();
  for (const runId of new Set(claims.map((c) => c.runId))) {
    const meta = await store.runs.getRunMeta(runId);
    live.set(runId, meta !== undefined && (meta.status === 'planning' || meta.status === 'sending'));
  }
  return new Set(claims.filter((c) => live.get(c.runId) === true).map((c) => c.date));
}

/**
 * One run per firing: a Scheduler retry or replay of the same scheduled time starts nothing
 * (FiringAlreadyStartedError). A firing held by a run that never wrote its meta (its SelectRun
 * failed before, and Step Functions retries it) is taken over under the same run id.
 */
async function holdFiring(store: Pick<Stores, 'runs'>, input: StartRunInput, runId: string): Promise<string> {
  const firing = `${input.scheduledTime ?? ''}#${input.campaignId ?? '*'}`;
  const held = await store.runs.recordFiring(firing, runId);
  if (held !== runId && (await store.runs.getRunMeta(held)) !== undefined)
    throw new FiringAlreadyStartedError(input.scheduledTime ?? '');
  return held;
}

export async function startRun(
  deps: { store: Pick<Stores, 'runs'>; clock: Clock },
  input: StartRunInput,
  config: StartRunConfig = { lookbackDays: DEFAULT_LOOKBACK_DAYS },
): Promise<StartedRun> {
  if (input.kind === 'intraday') return startIntradayRun(deps, input);
  const scheduled = input.date === undefined;
  const date =
    input.date ?? dateForScheduledTime(input.scheduledTime ?? '', input.scheduleTimeZone, input.daysAhead);
  const now = deps.clock.now();
  // Completion is recorded only for all-campaign runs, so only those catch up.
  const catchUp =
    scheduled && input.campaignId === undefined
      ? await catchUpDates(deps.store, date, config.lookbackDays, now)
      : [];
  const runId = scheduled
    ? await holdFiring(deps.store, input, input.runId ?? ulid(now.getTime()))
    : (input.runId ?? ulid(now.getTime()));
  const startedAt = now.toISOString();
  await deps.store.runs.putRunMeta({
    runId,
    date,
    ...(input.campaignId && { campaignId: input.campaignId }),
    startedAt,
    status: 'planning',
    scheduled,
    ...(catchUp.length > 0 && { catchUp }),
  });
  // An all-campaign run holds its dates while it runs: a later run's catch-up leaves them alone.
  if (input.campaignId === undefined)
    await deps.store.runs.claimDates([...catchUp, date], { runId, startedAt });
  return {
    runId,
    date,
    ...(input.campaignId && { campaignId: input.campaignId }),
    ...(scheduled && { scheduled }),
    ...(catchUp.length > 0 && { catchUp }),
  };
}
