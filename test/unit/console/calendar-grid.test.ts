// The console calendar's arithmetic (console/src/pages/calendar/grid.ts): grid layout, filters, totals.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  type DayLike,
  dayFigures,
  filterOptions,
  isoWeekday,
  localDate,
  monthWeeks,
  totalFigures,
} from '../../../console/src/pages/calendar/grid.js';

const group = (
  campaignId: string,
  tier: string,
  channel: string,
  touches: number,
  suppressed: number,
  amount: number,
) => ({
  campaignId,
  stepId: 's',
  tier,
  channel,
  touches,
  suppressed,
  estimatedCost: { amount, currency: 'USD' },
});

const day = (date: string, groups: ReturnType<typeof group>[], infra = 0.0005): DayLike => {
  const touches = groups.reduce((n, g) => n + g.touches, 0);
  const suppressed = groups.reduce((n, g) => n + g.suppressed, 0);
  const messages = groups.reduce((n, g) => n + g.estimatedCost.amount, 0);
  return { date, touches, suppressed, estimatedCost: { amount: messages + infra, currency: 'USD' }, groups };
};

describe('calendar grid', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it("starts at the browser's local date, not UTC's", () => {
    // 23:30 local on Dec 31 is the local date whatever the zone the test runs in.
    expect(localDate(new Date(2026, 11, 31, 23, 30))).toBe('2026-12-31');
    expect(localDate(new Date(2027, 0, 1, 0, 15))).toBe('2027-01-01');
  });

  it('numbers weekdays Monday first', () => {
    expect(isoWeekday('2026-11-30')).toBe(0); // a Monday
    expect(isoWeekday('2026-12-06')).toBe(6); // a Sunday
  });

  it('lays 30 days out in Monday-first weeks, padded at both ends', () => {
    const dates = Array.from({ length: 30 }, (_, i) => addDays('2026-12-02', i)); // Wed 2 … Thu 31 Dec
    const weeks = monthWeeks(dates);
    expect(weeks).toHaveLength(5);
    for (const w of weeks) expect(w).toHaveLength(7);
    expect(weeks[0]).toEqual([
      null,
      null,
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(weeks[4]).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
    expect(weeks.flat().filter((d) => d !== null)).toEqual(dates);
    expect(monthWeeks([])).toEqual([]);
  });
});

describe('calendar filters and totals', () => {
  const days = [
    day('2026-12-01', [
      group('renewal', 'key', 'sms', 2, 1, 0.1),
      group('renewal', 'standard', 'email', 3, 0, 0.0003),
    ]),
    day('2026-12-02', [group('win-back', 'standard', 'email', 1, 2, 0.0001)]),
    day('2026-12-03', []),
  ];

  it('shows a day as the API counted it when no filter is on (infrastructure included)', () => {
    const f = dayFigures(days[0] as DayLike, {});
    expect(f).toMatchObject({ touches: 5, suppressed: 1, infraIncluded: true });
    expect(f.cost.amount).toBeCloseTo(0.1008, 10);
  });

  it('sums only the groups a filter keeps, message cost only', () => {
    const d = days[0] as DayLike;
    expect(dayFigures(d, { channel: 'sms' })).toEqual({
      touches: 2,
      suppressed: 1,
      cost: { amount: 0.1, currency: 'USD' },
      infraIncluded: false,
    });
    expect(dayFigures(d, { campaign: 'renewal', tier: 'standard' })).toMatchObject({
      touches: 3,
      suppressed: 0,
    });
    expect(dayFigures(d, { campaign: 'win-back' })).toMatchObject({ touches: 0, suppressed: 0 });
  });

  it('totals what the days show, without rounding drift', () => {
    const all = totalFigures(days, {});
    expect(all).toMatchObject({ touches: 6, suppressed: 3, infraIncluded: true });
    expect(all.cost.amount).toBe(0.1019); // 0.1008 + 0.0006 + 0.0005, added in millionths
    const email = totalFigures(days, { channel: 'email' });
    expect(email).toEqual({
      touches: 4,
      suppressed: 2,
      cost: { amount: 0.0004, currency: 'USD' },
      infraIncluded: false,
    });
  });

  it('offers each campaign, tier and channel once, sorted', () => {
    expect(filterOptions(days)).toEqual({
      campaigns: ['renewal', 'win-back'],
      tiers: ['key', 'standard'],
      channels: ['email', 'sms'],
    });
  });
});
