// SelectRun: fixes what a run is for. An explicit date wins (CLI, API "run now"); a scheduled
// firing plans the local date after the firing's UTC date, so every zone (UTC+14 … UTC−12) is still
// ahead of its send window when the execution starts (docs/scheduling.md).
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import { z } from 'zod';
import { calendarDate, isoInstant } from '../../domain/documents.js';
import type { Clock, RunStore } from '../../ports.js';

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

export interface StartedRun {
  runId: string;
  date: string;
  campaignId?: string;
}

export function dateForScheduledTime(scheduledTime: string): string {
  const date = DateTime.fromISO(scheduledTime, { zone: 'utc' }).plus({ days: 1 }).toISODate();
  if (!date) throw new RangeError(`not an instant: ${scheduledTime}`);
  return date;
}

export async function startRun(deps: { store: RunStore; clock: Clock }, input: StartRunInput): Promise<StartedRun> {
  const date = input.date ?? dateForScheduledTime(input.scheduledTime ?? '');
  const runId = input.runId ?? ulid(deps.clock.now().getTime());
  await deps.store.putRunMeta({
    runId,
    date,
    ...(input.campaignId && { campaignId: input.campaignId }),
    startedAt: deps.clock.now().toISOString(),
    status: 'planning',
  });
  return { runId, date, ...(input.campaignId && { campaignId: input.campaignId }) };
}
