// Issue 10, item 6: the date a scheduled firing plans, for any cron and zone. The firings come from
// the same Scheduler emulation the local runtime uses (croner, DST-aware).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextFireTimes } from '../../../local/assembly-schedules.js';
import { addDays } from '../../../shared/domain/calendar.js';
import {
  dailySchedule,
  earliestDayStartMs,
  latestDayEndMs,
  PLANNING_MARGIN_HOURS,
  RUN_TIMEOUT_HOURS,
  runDateForFiring,
  UnworkableScheduleError,
} from '../../../shared/domain/schedule-dates.js';
import { dateForScheduledTime } from '../../../shared/usecases/run/start-run.js';

const HOUR_MS = 3_600_000;
const ZONES = [
  'UTC',
  'Pacific/Kiritimati',
  'Pacific/Tongatapu',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
  'Asia/Tokyo',
  'Asia/Kathmandu',
  'Europe/Berlin',
  'Europe/London',
  'America/St_Johns',
  'America/New_York',
  'America/Santiago',
  'Pacific/Honolulu',
  'Etc/GMT+12',
];
/** Days around DST changes in the zones above (northern and southern), and plain days. */
const AROUND = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-09-06',
  '2026-09-27',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2027-01-15',
  '2027-06-15',
];

const plans = new Map<string, ReturnType<typeof dailySchedule>>();
const planOf = (expression: string, timeZone: string) => {
  const key = `${expression} ${timeZone}`;
  const plan = plans.get(key) ?? dailySchedule(expression, timeZone, new Date('2026-01-01T00:00:00Z'));
  plans.set(key, plan);
  return plan;
};
const iso = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

describe('the date a scheduled firing plans', () => {
  it("for every cron time and zone, each zone's day D is still ahead at the firing, and consecutive firings plan consecutive dates", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45, 59),
        fc.constantFrom(...AROUND),
        fc.integer({ min: -6, max: 0 }),
        (timeZone, hour, minute, around, shift) => {
          const expression = `cron(${minute} ${hour} * * ? *)`;
          const { daysAhead } = planOf(expression, timeZone);
          const from = new Date(`${addDays(around, shift)}T00:00:00Z`);
          const fires = nextFireTimes(
            { expression, timeZone },
            from,
            new Date(from.getTime() + 10 * 24 * HOUR_MS),
          );
          expect(fires.length).toBeGreaterThanOrEqual(9);
          let previous: string | undefined;
          for (const firing of fires) {
            const d = runDateForFiring(iso(firing), timeZone, daysAhead);
            const label = `${expression} ${timeZone} fired ${firing.toISOString()} → ${d}`;
            // UTC+14 starts D (every window of it) after the firing and planning.
            expect(firing.getTime() + PLANNING_MARGIN_HOURS * HOUR_MS, label).toBeLessThanOrEqual(
              earliestDayStartMs(d),
            );
            // UTC−12 ends D before the state machine times out.
            expect(latestDayEndMs(d) - firing.getTime(), label).toBeLessThanOrEqual(
              RUN_TIMEOUT_HOURS * HOUR_MS,
            );
            if (previous !== undefined) expect(d, label).toBe(addDays(previous, 1));
            previous = d;
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('a 09:00 New York schedule plans a date whose Kiritimati, Tonga and Auckland windows are still ahead', () => {
    const { daysAhead } = dailySchedule('cron(0 9 * * ? *)', 'America/New_York');
    // Before: D = UTC date + 1 = 2026-06-02, which Kiritimati had entered at 06-01 10:00Z, 3 h earlier.
    expect(dateForScheduledTime('2026-06-01T13:00:00Z')).toBe('2026-06-02');
    const d = dateForScheduledTime('2026-06-01T13:00:00Z', 'America/New_York', daysAhead);
    expect(d).toBe('2026-06-03');
    expect(earliestDayStartMs(d)).toBeGreaterThan(Date.parse('2026-06-01T13:00:00Z'));
  });

  it('Europe/Berlin at 01:00 neither doubles a date in spring nor skips one in autumn', () => {
    const timeZone = 'Europe/Berlin';
    const expression = 'cron(0 1 * * ? *)';
    const { daysAhead } = dailySchedule(expression, timeZone);
    const datesFrom = (from: string, until: string, old: boolean) =>
      nextFireTimes({ expression, timeZone }, new Date(from), new Date(until)).map((f) =>
        old ? dateForScheduledTime(iso(f)) : runDateForFiring(iso(f), timeZone, daysAhead),
      );
    // Before: UTC date + 1 planned 03-30 twice and skipped 10-26.
    expect(datesFrom('2026-03-27T00:00:00Z', '2026-03-30T00:00:00Z', true)).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30', // 03-29 01:00 CET = 00:00Z
      '2026-03-30', // 03-30 01:00 CEST = 03-29 23:00Z
    ]);
    expect(datesFrom('2026-03-27T00:00:00Z', '2026-03-30T00:00:00Z', false)).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
    ]);
    expect(datesFrom('2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z', true)).toEqual([
      '2026-10-25',
      '2026-10-27',
    ]);
    expect(datesFrom('2026-10-23T12:00:00Z', '2026-10-27T00:00:00Z', false)).toEqual([
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
    ]);
  });

  it('is a function of the scheduled time only: a retry or replay an hour later plans the same date', () => {
    const { daysAhead } = dailySchedule('cron(30 8 ? * MON-FRI *)', 'Europe/Berlin');
    expect(daysAhead).toBe(1);
    expect(runDateForFiring('2026-03-26T07:30:00Z', 'Europe/Berlin', daysAhead)).toBe('2026-03-27');
  });

  it('refuses schedules with no single local firing a day', () => {
    for (const expression of [
      'rate(1 day)',
      'at(2026-06-01T09:00:00)',
      'cron(0 */6 * * ? *)',
      'cron(0,30 9 * * ? *)',
      'cron(0 9-10 * * ? *)',
      'cron(0 9 * *)',
    ]) {
      expect(() => dailySchedule(expression, 'UTC'), expression).toThrow(UnworkableScheduleError);
    }
    expect(() => dailySchedule('cron(0 9 * * ? *)', 'Mars/Olympus')).toThrow(UnworkableScheduleError);
  });
});
