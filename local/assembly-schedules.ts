import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { type CfnTemplateJson, resolveString, TemplateShapeError } from './cfn-template.js';

/** An EventBridge Scheduler schedule as the template declares it. */
export interface TemplateSchedule {
  logicalId: string;
  /** `cron(min hour dom mon dow year)`, `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. */
  expression: string;
  /** IANA zone (Scheduler's default is UTC). */
  timeZone: string;
  /** The target input, with Scheduler's context placeholders still in it (see `renderScheduleInput`). */
  input: string;
  /** Logical ID of the target (e.g. the state machine), when it is a resource of the template. */
  targetLogicalId?: string;
  enabled: boolean;
}

export class UnsupportedScheduleError extends Error {
  constructor(readonly expression: string) {
    super(`unsupported schedule expression ${expression}`);
    this.name = 'UnsupportedScheduleError';
  }
}

const ScheduleProperties = z.looseObject({
  ScheduleExpression: z.string(),
  ScheduleExpressionTimezone: z.string().optional(),
  State: z.string().optional(),
  Target: z.looseObject({ Arn: z.unknown(), Input: z.unknown().optional() }),
});
const RefOrGetAtt = z.union([
  z.object({ Ref: z.string() }).transform((r) => r.Ref),
  z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }).transform((g) => g['Fn::GetAtt'][0]),
]);

export function schedulesFromTemplate(template: CfnTemplateJson): TemplateSchedule[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
    .map(([logicalId, r]) => {
      const parsed = ScheduleProperties.safeParse(r.Properties);
      if (!parsed.success) throw new TemplateShapeError(`${logicalId}: ${parsed.error.message}`);
      const p = parsed.data;
      const target = RefOrGetAtt.safeParse(p.Target.Arn);
      return {
        logicalId,
        expression: p.ScheduleExpression,
        timeZone: p.ScheduleExpressionTimezone ?? 'UTC',
        input: p.Target.Input === undefined ? '{}' : resolveString(template, p.Target.Input),
        ...(target.success ? { targetLogicalId: target.data } : {}),
        enabled: (p.State ?? 'ENABLED') === 'ENABLED',
      };
    });
}

/** Fills Scheduler's context attributes in a target input, as Scheduler does when it fires. */
export function renderScheduleInput(
  schedule: Pick<TemplateSchedule, 'input' | 'logicalId'>,
  firedAt: Date,
  attempt = 1,
): string {
  // Scheduler writes the time without milliseconds: 2026-11-26T09:00:00Z.
  const time = `${firedAt.toISOString().slice(0, 19)}Z`;
  return schedule.input
    .split('<aws.scheduler.scheduled-time>')
    .join(time)
    .split('<aws.scheduler.schedule-arn>')
    .join(`arn:aws:scheduler:local:000000000000:schedule/default/${schedule.logicalId}`)
    .split('<aws.scheduler.attempt-number>')
    .join(String(attempt))
    .split('<aws.scheduler.execution-id>')
    .join(`${schedule.logicalId}-${firedAt.getTime()}`);
}

const RATE_UNITS_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** Guards against an expression that would enumerate without end (e.g. a rate over years). */
const MAX_FIRES = 100_000;

/**
 * The instants a schedule fires in [from, until), DST-aware in its time zone.
 * - cron: AWS's six fields (`?`, `L`, `W`, `#`, weekday 1 = Sunday) through croner, with a leading
 *   seconds field and the options under which croner reads them as AWS does.
 * - rate: every n units, aligned to the Unix epoch (Scheduler aligns to the creation time, which a local
 *   runtime does not have; epoch alignment keeps local fires reproducible).
 * - at: once, the local wall time in the schedule's zone.
 */
export function nextFireTimes(
  schedule: Pick<TemplateSchedule, 'expression' | 'timeZone'>,
  from: Date,
  until: Date,
): Date[] {
  const expr = schedule.expression.trim();
  const cron = /^cron\((.+)\)$/.exec(expr);
  if (cron?.[1] !== undefined) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) throw new UnsupportedScheduleError(expr);
    const job = new Cron(`0 ${fields.join(' ')}`, {
      mode: '7-part',
      alternativeWeekdays: true,
      sloppyRanges: true,
      timezone: schedule.timeZone,
      startAt: from,
      stopAt: until,
      paused: true,
    });
    const fires: Date[] = [];
    let next = job.nextRun(new Date(from.getTime() - 1));
    while (next !== null && next < until && fires.length < MAX_FIRES) {
      if (next >= from) fires.push(next);
      next = job.nextRun(next);
    }
    job.stop();
    return fires;
  }
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expr);
  if (rate?.[1] !== undefined && rate[2] !== undefined) {
    const step = Number(rate[1]) * (RATE_UNITS_MS[rate[2]] ?? Number.NaN);
    if (!(step > 0)) throw new UnsupportedScheduleError(expr);
    const fires: Date[] = [];
    for (
      let t = Math.ceil(from.getTime() / step) * step;
      t < until.getTime() && fires.length < MAX_FIRES;
      t += step
    ) {
      fires.push(new Date(t));
    }
    return fires;
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expr);
  if (at?.[1] !== undefined) {
    const when = DateTime.fromISO(at[1], { zone: schedule.timeZone });
    if (!when.isValid) throw new UnsupportedScheduleError(expr);
    const date = when.toJSDate();
    return date >= from && date < until ? [date] : [];
  }
  throw new UnsupportedScheduleError(expr);
}
