import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  birthdayInYear,
  daysBetween,
  InvalidDateError,
  isLeapYear,
  localDate,
  sendWindowUtc,
} from '../../../shared/domain/calendar.js';

const ZONES = [
  'America/Los_Angeles',
  'Europe/London',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'Asia/Shanghai',
  'Pacific/Auckland',
  'America/Sao_Paulo',
  'Europe/Moscow',
] as const;

const dateArb = fc
  .date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Realistic send windows: at least two hours long, so a one-hour gap cannot swallow one. */
const windowArb = fc
  .integer({ min: 0, max: 23 * 60 + 59 - 120 })
  .chain((start) => fc.integer({ min: start + 120, max: 23 * 60 + 59 }).map((end) => ({ start, end })))
  .map(({ start, end }) => ({ start: hhmm(start), end: hhmm(end) }));

const MIN = 60_000;
const wallMs = (date: string, time: string): number => Date.parse(`${date}T${time}:00Z`);
const localWall = (ms: number, zone: IANAZone): number => ms + zone.offset(ms) * MIN;

/** Every offset the zone had within 30 hours of a wall time: the candidates for resolving it. */
function offsetsAround(wall: number, zone: IANAZone): number[] {
  const set = new Set<number>();
  for (let h = -30; h <= 30; h++) set.add(zone.offset(wall + h * 60 * MIN));
  return [...set];
}

describe('addDays / daysBetween', () => {
  it('agrees with luxon and round-trips', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -4000, max: 4000 }), (d, n) => {
        const r = addDays(d, n);
        expect(r).toBe(DateTime.fromISO(d, { zone: 'utc' }).plus({ days: n }).toISODate());
        expect(addDays(r, -n)).toBe(d);
        expect(daysBetween(d, r)).toBe(n);
      }),
    );
  });
  it('crosses month, year and leap day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-11-26', -60)).toBe('2026-09-27');
  });
  it('refuses dates that do not exist', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(InvalidDateError);
    expect(() => addDays('26-11-01', 1)).toThrow(InvalidDateError);
  });
});

describe('localDate', () => {
  it('is the calendar date of the instant in the zone', () => {
    expect(localDate('2026-11-24T08:30:00Z', 'Asia/Shanghai')).toBe('2026-11-24');
    expect(localDate('2026-11-25T20:00:00Z', 'Asia/Shanghai')).toBe('2026-11-26');
    expect(localDate('2026-09-28T03:00:00Z', 'America/Los_Angeles')).toBe('2026-09-27');
    expect(localDate('2026-11-26T09:00:00+08:00', 'UTC')).toBe('2026-11-26');
  });
  it('agrees with luxon for any instant and zone', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1971-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...ZONES),
        (d, zone) => {
          expect(localDate(d.toISOString(), zone)).toBe(DateTime.fromJSDate(d, { zone }).toISODate());
        },
      ),
    );
  });
});

describe('sendWindowUtc', () => {
  it('converts a plain local time (with milliseconds in the ISO string)', () => {
    expect(sendWindowUtc('2026-11-26', 'Asia/Shanghai', { start: '09:00', end: '20:00' })).toEqual({
      sendAt: '2026-11-26T01:00:00.000Z',
      windowEnd: '2026-11-26T12:00:00.000Z',
    });
    expect(sendWindowUtc('2026-11-30', 'Pacific/Auckland', { start: '09:00', end: '12:00' }).sendAt).toBe(
      '2026-11-29T20:00:00.000Z',
    );
  });

  it.each([
    // spring gaps move forward by the gap
    ['America/Los_Angeles', '2026-03-08', '02:30', '2026-03-08T10:30:00.000Z'],
    ['America/St_Johns', '2026-03-08', '02:30', '2026-03-08T06:00:00.000Z'],
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:45:00.000Z'],
    ['Pacific/Chatham', '2026-09-27', '03:00', '2026-09-26T14:15:00.000Z'],
    ['Pacific/Apia', '2011-12-30', '09:00', '2011-12-30T19:00:00.000Z'],
    // autumn overlaps take the earlier instant
    ['America/Los_Angeles', '2026-11-01', '01:30', '2026-11-01T08:30:00.000Z'],
    ['Europe/London', '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'],
  ])('%s %s %s → %s', (zone, date, start, expected) => {
    expect(sendWindowUtc(date, zone, { start, end: '23:00' }).sendAt).toBe(expected);
  });

  it('sendAt shows the window start (or the gap-shifted time), is the earliest such instant, and precedes windowEnd', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), dateArb, windowArb, (zoneName, date, window) => {
        const zone = IANAZone.create(zoneName);
        const { sendAt, windowEnd } = sendWindowUtc(date, zoneName, window);
        expect(sendAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
        const sendMs = Date.parse(sendAt);
        expect(sendMs).toBeLessThan(Date.parse(windowEnd));
        const wall = wallMs(date, window.start);
        const offsets = offsetsAround(wall, zone);
        const valid = offsets.map((o) => wall - o * MIN).filter((t) => localWall(t, zone) === wall);
        if (valid.length > 0) {
          expect(localWall(sendMs, zone)).toBe(wall);
          expect(sendMs).toBe(Math.min(...valid));
        } else {
          // In a gap: the offset after the jump minus the one before is how far the time moves.
          const after = zone.offset(sendMs);
          const before = zone.offset(wall - after * MIN);
          expect(after).toBeGreaterThan(before);
          expect(localWall(sendMs, zone)).toBe(wall + (after - before) * MIN);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('holds on the days a zone changes its offset, any year, any window', { timeout: 60_000 }, () => {
    /** Local dates in `year` on which the zone's offset changes (DST starts and ends, redefinitions). */
    const cache = new Map<string, string[]>();
    const transitionDays = (zone: IANAZone, year: number): string[] => {
      const key = `${zone.name}|${year}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const changed = (d: string, n: number): boolean =>
        zone.offset(wallMs(d, '12:00') - 36 * 60 * MIN) !==
        zone.offset(wallMs(addDays(d, n - 1), '12:00') + 12 * 60 * MIN);
      const days: string[] = [];
      // Weekly probes, then day by day inside a week whose offset changed.
      for (let week = `${year}-01-01`; week.startsWith(String(year)); week = addDays(week, 7)) {
        if (!changed(week, 7)) continue;
        for (let i = 0; i < 7; i++) {
          const d = addDays(week, i);
          if (d.startsWith(String(year)) && changed(d, 1)) days.push(d);
        }
      }
      cache.set(key, days);
      return days;
    };
    let gaps = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1971, max: 2099 }),
        fc.nat(),
        windowArb,
        (zoneName, year, pick, window) => {
          const zone = IANAZone.create(zoneName);
          const days = transitionDays(zone, year);
          fc.pre(days.length > 0);
          const date = days[pick % days.length] ?? `${year}-01-01`;
          for (const time of [window.start, '00:00', '01:30', '02:00', '02:30', '03:00']) {
            const { sendAt, windowEnd } = sendWindowUtc(date, zoneName, { start: time, end: '23:59' });
            const sendMs = Date.parse(sendAt);
            expect(sendMs).toBeLessThan(Date.parse(windowEnd));
            const wall = wallMs(date, time);
            const valid = offsetsAround(wall, zone)
              .map((o) => wall - o * MIN)
              .filter((t) => localWall(t, zone) === wall);
            if (valid.length > 0) expect(sendMs).toBe(Math.min(...valid));
            else {
              gaps++;
              const after = zone.offset(sendMs);
              const before = zone.offset(wall - after * MIN);
              expect(localWall(sendMs, zone)).toBe(wall + (after - before) * MIN);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(gaps).toBeGreaterThan(0);
  });

  it('shifts a send window that starts in a spring-forward gap by the gap as a whole, instead of collapsing it (New York 2027-03-14)', () => {
    const ny = 'America/New_York';
    // 02:00–03:00 EST does not exist: sent 03:00–04:00 EDT (07:00–08:00 UTC), not 03:00–03:00.
    expect(sendWindowUtc('2027-03-14', ny, { start: '02:00', end: '03:00' })).toEqual({
      sendAt: '2027-03-14T07:00:00.000Z',
      windowEnd: '2027-03-14T08:00:00.000Z',
    });
    // 02:30–03:00 started after it ended: now 03:30–04:00 EDT.
    expect(sendWindowUtc('2027-03-14', ny, { start: '02:30', end: '03:00' })).toEqual({
      sendAt: '2027-03-14T07:30:00.000Z',
      windowEnd: '2027-03-14T08:00:00.000Z',
    });
    // Both ends in the gap: 02:10–02:40 → 03:10–03:40 EDT.
    expect(sendWindowUtc('2027-03-14', ny, { start: '02:10', end: '02:40' })).toEqual({
      sendAt: '2027-03-14T07:10:00.000Z',
      windowEnd: '2027-03-14T07:40:00.000Z',
    });
    // Only the end in the gap: the start exists (the contract's sendAt), the end moves by the gap.
    expect(sendWindowUtc('2027-03-14', ny, { start: '01:00', end: '02:30' })).toEqual({
      sendAt: '2027-03-14T06:00:00.000Z',
      windowEnd: '2027-03-14T07:30:00.000Z',
    });
    // Autumn overlap: both ends take the first occurrence (01:30 EDT), the window keeps its length.
    expect(sendWindowUtc('2027-11-07', ny, { start: '01:00', end: '01:30' })).toEqual({
      sendAt: '2027-11-07T05:00:00.000Z',
      windowEnd: '2027-11-07T05:30:00.000Z',
    });
  });

  it('keeps every window open on the days a zone changes its offset: a window touching a gap keeps its length, any length', {
    timeout: 60_000,
  }, () => {
    const days: [string, string][] = [
      ['America/New_York', '2027-03-14'],
      ['America/Los_Angeles', '2026-03-08'],
      ['Europe/London', '2026-03-29'],
      ['Australia/Lord_Howe', '2026-10-04'],
      ['Pacific/Chatham', '2026-09-27'],
      ['America/St_Johns', '2026-03-08'],
      ['America/Sao_Paulo', '2018-11-04'],
      ['Pacific/Apia', '2011-12-30'],
      ['America/New_York', '2027-11-07'],
      ['Europe/London', '2026-10-25'],
    ];
    let touched = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...days),
        fc
          .integer({ min: 0, max: 23 * 60 + 58 })
          .chain((start) => fc.integer({ min: start + 1, max: 23 * 60 + 59 }).map((end) => ({ start, end }))),
        ([zoneName, date], w) => {
          const zone = IANAZone.create(zoneName);
          const window = { start: hhmm(w.start), end: hhmm(w.end) };
          const { sendAt, windowEnd } = sendWindowUtc(date, zoneName, window);
          const sendMs = Date.parse(sendAt);
          const endMs = Date.parse(windowEnd);
          expect(endMs).toBeGreaterThan(sendMs);
          const inGap = (wall: number): boolean =>
            offsetsAround(wall, zone).every((o) => localWall(wall - o * MIN, zone) !== wall);
          const startWall = wallMs(date, window.start);
          const endWall = wallMs(date, window.end);
          if (inGap(startWall) || inGap(endWall)) {
            touched++;
            expect(endMs - sendMs).toBe(endWall - startWall);
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(touched).toBeGreaterThan(0);
  });

  it('finds real gaps and overlaps in the generated range (the property above is not vacuous)', () => {
    const zone = IANAZone.create('Australia/Lord_Howe');
    const gapWall = wallMs('2026-10-04', '02:15');
    expect(offsetsAround(gapWall, zone).every((o) => localWall(gapWall - o * MIN, zone) !== gapWall)).toBe(
      true,
    );
    const overlapWall = wallMs('2026-04-05', '01:45');
    expect(
      offsetsAround(overlapWall, zone).filter((o) => localWall(overlapWall - o * MIN, zone) === overlapWall),
    ).toHaveLength(2);
  });
});

describe('birthdayInYear', () => {
  it('places a birthday in a year, with or without a birth year', () => {
    expect(birthdayInYear('07-14', 2026, 'feb28')).toBe('2026-07-14');
    expect(birthdayInYear('1988-12-06', 2030, 'mar1')).toBe('2030-12-06');
  });
  it('moves Feb 29 by the setting in non-leap years only', () => {
    expect(birthdayInYear('1988-02-29', 2027, 'feb28')).toBe('2027-02-28');
    expect(birthdayInYear('02-29', 2027, 'mar1')).toBe('2027-03-01');
    expect(birthdayInYear('02-29', 2028, 'feb28')).toBe('2028-02-29');
    expect(birthdayInYear('02-29', 2028, 'mar1')).toBe('2028-02-29');
    expect(birthdayInYear('02-29', 2100, 'feb28')).toBe('2100-02-28');
    expect(birthdayInYear('02-29', 2000, 'mar1')).toBe('2000-02-29');
  });
  it('knows leap years', () => {
    expect([1900, 2000, 2024, 2026, 2100].map(isLeapYear)).toEqual([false, true, true, false, false]);
  });
});
