import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stateMachineFromTemplate } from '../../local/assembly-asl.js';
import {
  nextFireTimes,
  renderScheduleInput,
  schedulesFromTemplate,
  type TemplateSchedule,
  UnsupportedScheduleError,
} from '../../local/assembly-schedules.js';
import { parseTemplate } from '../../local/cfn-template.js';
import { UnworkableScheduleError } from '../../shared/domain/schedule-dates.js';
import { dateForScheduledTime, startRunInput } from '../../shared/usecases/run/start-run.js';
import { buildApp, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

const at = (iso: string) => new Date(iso);

describe('schedulesFromTemplate + nextFireTimes', () => {
  it("fires the template's schedule at the same local time across a DST change", () => {
    const schedules = schedulesFromTemplate(parseTemplate(synthTemplate().template.toJSON())).filter((s) =>
      s.logicalId.includes('DailyRun'),
    );
    expect(schedules).toHaveLength(1);
    const [daily] = schedules;
    expect(daily).toMatchObject({
      expression: TEST_CONTEXT.scheduleExpression,
      timeZone: TEST_CONTEXT.scheduleTimeZone,
      enabled: true,
      targetLogicalId: expect.stringMatching(/RunMachine/),
    });
    // cron(30 8 ? * MON-FRI *) in Europe/Berlin; CEST begins Sunday 2026-03-29.
    const fires = nextFireTimes(
      daily as TemplateSchedule,
      at('2026-03-26T00:00:00Z'),
      at('2026-04-01T00:00:00Z'),
    );
    expect(fires.map((d) => d.toISOString())).toEqual([
      '2026-03-26T07:30:00.000Z', // Thu 08:30 CET
      '2026-03-27T07:30:00.000Z', // Fri
      '2026-03-30T06:30:00.000Z', // Mon 08:30 CEST
      '2026-03-31T06:30:00.000Z', // Tue
    ]);
    const input = JSON.parse(
      renderScheduleInput(daily as TemplateSchedule, fires[0] ?? at('2000-01-01T00:00:00Z')),
    );
    expect(input).toEqual({
      scheduledTime: '2026-03-26T07:30:00Z',
      scheduleTimeZone: 'Europe/Berlin',
      daysAhead: 1,
    });
  });
});

describe('the daily schedule at synth (issue 10, item 6)', () => {
  it('passes the scheduled time (not now), the zone and the day count, so a late or replayed start plans the same D', () => {
    const daily = schedulesFromTemplate(
      parseTemplate(
        synthTemplate({
          ...TEST_CONTEXT,
          scheduleExpression: 'cron(0 9 * * ? *)',
          scheduleTimeZone: 'America/New_York',
        }).template.toJSON(),
      ),
    ).find((s) => s.logicalId.includes('DailyRun'));
    if (!daily) throw new Error('no daily schedule');
    // Before: { scheduledTime } alone, read as D = UTC date + 1: 13:00Z on 06-01 planned 06-02, whose
    // windows in Kiritimati (from 06-01 10:00Z), Tonga and Auckland had already opened.
    expect(JSON.parse(daily.input)).toEqual({
      scheduledTime: '<aws.scheduler.scheduled-time>',
      scheduleTimeZone: 'America/New_York',
      daysAhead: 2,
    });
    const firing = at('2026-06-01T13:00:00Z');
    const input = startRunInput.parse(JSON.parse(renderScheduleInput(daily, firing)));
    const late = startRunInput.parse(JSON.parse(renderScheduleInput(daily, firing, 3)));
    expect(dateForScheduledTime(input.scheduledTime ?? '', input.scheduleTimeZone, input.daysAhead)).toBe(
      '2026-06-03',
    );
    expect(late).toEqual(input);
  });

  it('ends a second execution of the same firing as a success: SelectRun catches FiringAlreadyStartedError', () => {
    const { definition } = stateMachineFromTemplate(parseTemplate(synthTemplate().template.toJSON()));
    const states = z
      .record(z.string(), z.looseObject({ Type: z.string(), Catch: z.array(z.unknown()).optional() }))
      .parse(Reflect.get(definition, 'States'));
    expect(states.SelectRun?.Catch).toEqual([
      { ErrorEquals: ['FiringAlreadyStartedError'], Next: 'FiringAlreadyStarted' },
    ]);
    expect(states.FiringAlreadyStarted?.Type).toBe('Succeed');
  });

  it('refuses at synth a schedule with no single local firing a day (rate, several firings), which would plan a date twice', () => {
    for (const scheduleExpression of ['rate(1 day)', 'cron(0 */6 * * ? *)', 'cron(0,30 9 * * ? *)']) {
      expect(() => buildApp({ ...TEST_CONTEXT, scheduleExpression }), scheduleExpression).toThrow(
        UnworkableScheduleError,
      );
    }
  });
});

describe('nextFireTimes', () => {
  const daily = { expression: 'cron(0 9 * * ? *)', timeZone: 'America/New_York' };

  it('follows the autumn change too, and treats the range as [from, until)', () => {
    // EDT ends Sunday 2026-11-01.
    const fires = nextFireTimes(daily, at('2026-10-31T13:00:00Z'), at('2026-11-02T14:00:00Z'));
    expect(fires.map((d) => d.toISOString())).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
    ]);
  });

  it('reads AWS weekday numbers (1 = Sunday), L and #', () => {
    const sundays = nextFireTimes(
      { expression: 'cron(0 12 ? * 1 *)', timeZone: 'UTC' },
      at('2026-11-01T00:00:00Z'),
      at('2026-11-15T00:00:00Z'),
    );
    expect(sundays.map((d) => d.toISOString())).toEqual([
      '2026-11-01T12:00:00.000Z',
      '2026-11-08T12:00:00.000Z',
    ]);
    const lastDays = nextFireTimes(
      { expression: 'cron(0 0 L * ? *)', timeZone: 'UTC' },
      at('2026-01-01T00:00:00Z'),
      at('2026-04-01T00:00:00Z'),
    );
    expect(lastDays.map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    const secondMondays = nextFireTimes(
      { expression: 'cron(0 6 ? * 2#2 *)', timeZone: 'UTC' },
      at('2026-01-01T00:00:00Z'),
      at('2026-03-01T00:00:00Z'),
    );
    expect(secondMondays.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-01-12', '2026-02-09']);
  });

  it('supports rate() aligned to the epoch and at() in the zone', () => {
    const hourly = nextFireTimes(
      { expression: 'rate(6 hours)', timeZone: 'UTC' },
      at('2026-11-26T05:00:00Z'),
      at('2026-11-27T00:00:00Z'),
    );
    expect(hourly.map((d) => d.toISOString())).toEqual([
      '2026-11-26T06:00:00.000Z',
      '2026-11-26T12:00:00.000Z',
      '2026-11-26T18:00:00.000Z',
    ]);
    const once = { expression: 'at(2026-11-26T10:00:00)', timeZone: 'Asia/Shanghai' };
    expect(nextFireTimes(once, at('2026-11-26T00:00:00Z'), at('2026-11-27T00:00:00Z'))).toEqual([
      at('2026-11-26T02:00:00Z'),
    ]);
    expect(nextFireTimes(once, at('2026-11-26T02:00:01Z'), at('2026-11-27T00:00:00Z'))).toEqual([]);
  });

  it('refuses what it cannot read', () => {
    expect(() =>
      nextFireTimes({ expression: 'cron(0 9 * *)', timeZone: 'UTC' }, new Date(0), new Date(1)),
    ).toThrow(UnsupportedScheduleError);
  });
});
