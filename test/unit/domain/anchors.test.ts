import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contractOccurrences,
  customerOccurrences,
  dueQuery,
  eventOccurrences,
} from '../../../shared/domain/anchors.js';
import { addDays, birthdayInYear, birthdayMonthDay, isLeapYear } from '../../../shared/domain/calendar.js';
import type { Anchor, Settings } from '../../../shared/domain/documents.js';
import { contract, customer } from './fixtures.js';

const BIRTHDAY: Anchor = { type: 'birthday' };

describe('dueQuery', () => {
  it('reads the anchor day D − offset', () => {
    expect(dueQuery({ type: 'contractEnd' }, -30, '2026-11-26', 'feb28')).toEqual({
      kind: 'contractEnd',
      day: '2026-12-26',
    });
    expect(dueQuery({ type: 'contractStart' }, 7, '2026-11-27', 'feb28')).toEqual({
      kind: 'contractStart',
      day: '2026-11-20',
    });
    expect(dueQuery({ type: 'lastActivity' }, 60, '2026-11-26', 'feb28')).toEqual({
      kind: 'lastActivity',
      day: '2026-09-27',
    });
    expect(dueQuery({ type: 'event', eventType: 'x' }, 2, '2026-11-26', 'feb28')).toEqual({
      kind: 'event',
      eventType: 'x',
      day: '2026-11-24',
    });
  });
  it('takes the birthday year from D − offset (a step before a January birthday falls in the year before)', () => {
    expect(dueQuery(BIRTHDAY, -7, '2026-12-27', 'feb28')).toEqual({
      kind: 'birthday',
      monthDays: ['01-03'],
      year: 2027,
      day: '2027-01-03',
    });
  });
  it.each<[string, Settings['feb29'], string[]]>([
    ['2027-02-28', 'feb28', ['02-28', '02-29']],
    ['2027-03-01', 'feb28', ['03-01']],
    ['2027-02-28', 'mar1', ['02-28']],
    ['2027-03-01', 'mar1', ['03-01', '02-29']],
    ['2028-02-28', 'feb28', ['02-28']],
    ['2028-02-29', 'feb28', ['02-29']],
    ['2028-03-01', 'mar1', ['03-01']],
  ])('birthday keys on %s with feb29=%s', (date, feb29, keys) => {
    const q = dueQuery(BIRTHDAY, 0, date, feb29);
    expect(q.kind === 'birthday' ? q.monthDays : []).toEqual(keys);
  });
});

describe('contractOccurrences', () => {
  const customers = new Map([['c1', customer('c1')]]);
  const anchor: Anchor = { type: 'contractEnd', products: ['mobile-plan-88'] };
  const query = dueQuery(anchor, -14, '2026-11-26', 'feb28');
  it('keeps active contracts ending on the day, of the listed products, with a known customer', () => {
    const occ = contractOccurrences(
      anchor,
      query,
      [
        contract('k1', 'c1'),
        contract('k2', 'c1', { status: 'renewed' }),
        contract('k3', 'c1', { status: 'cancelled' }),
        contract('k4', 'c1', { product: 'broadband-100' }),
        contract('k5', 'c1', { endDate: '2026-12-11' }),
        contract('k6', 'c-missing'),
      ],
      customers,
    );
    expect(occ.map((o) => [o.customer.id, o.anchorDate, o.occasion, o.contract?.id])).toEqual([
      ['c1', '2026-12-10', 'k1:2026-12-10', 'k1'],
    ]);
  });
  it('uses the start date for contractStart and accepts any product when none are listed', () => {
    const start: Anchor = { type: 'contractStart' };
    const occ = contractOccurrences(
      start,
      dueQuery(start, 7, '2025-12-17', 'feb28'),
      [contract('k1', 'c1', { product: 'anything' })],
      customers,
    );
    expect(occ.map((o) => o.occasion)).toEqual(['k1:2025-12-10']);
  });
  it('returns nothing for a query of another anchor', () => {
    expect(
      contractOccurrences(
        anchor,
        dueQuery({ type: 'lastActivity' }, 0, '2026-12-10', 'feb28'),
        [contract('k1', 'c1')],
        customers,
      ),
    ).toEqual([]);
  });
});

describe('customerOccurrences', () => {
  it('last activity: the anchor day is the occasion', () => {
    const q = dueQuery({ type: 'lastActivity' }, 60, '2026-11-26', 'feb28');
    expect(customerOccurrences(q, [customer('c1')]).map((o) => [o.anchorDate, o.occasion])).toEqual([
      ['2026-09-27', '2026-09-27'],
    ]);
  });
  it('birthday: the year is the occasion, and a customer read under another key does not fire', () => {
    const q = dueQuery(BIRTHDAY, 0, '2026-07-14', 'feb28');
    const occ = customerOccurrences(
      q,
      [customer('a', { birthday: '07-14' }), customer('b', { birthday: '1990-07-15' }), customer('c')],
      'feb28',
    );
    expect(occ.map((o) => [o.customer.id, o.occasion])).toEqual([['a', '2026']]);
  });
});

describe('eventOccurrences', () => {
  const c = customer('c1', { timeZone: 'Asia/Shanghai' });
  const customers = new Map([[c.id, c]]);
  const q = dueQuery({ type: 'event', eventType: 'complaint.resolved' }, 2, '2026-11-26', 'feb28');
  it('keeps events of the type on the local day, keyed by event id', () => {
    const events = [
      { id: 'e1', customerId: 'c1', type: 'complaint.resolved', occurredAt: '2026-11-24T08:30:00Z' },
      { id: 'e2', customerId: 'c1', type: 'complaint.resolved', occurredAt: '2026-11-24T16:30:00Z' }, // 11-25 in Shanghai
      { id: 'e3', customerId: 'c1', type: 'app.login', occurredAt: '2026-11-24T08:30:00Z' },
      { id: 'e4', customerId: 'c2', type: 'complaint.resolved', occurredAt: '2026-11-24T08:30:00Z' },
      { id: 'e5', customerId: 'c1', type: 'complaint.resolved', occurredAt: '2026-11-23T16:30:00Z' }, // 11-24 00:30 local
    ];
    expect(
      eventOccurrences(q, events, customers).map((o) => [o.occasion, o.anchorDate, o.event?.id]),
    ).toEqual([
      ['e1', '2026-11-24', 'e1'],
      ['e5', '2026-11-24', 'e5'],
    ]);
  });
});

describe('birthdays over consecutive days', () => {
  /** Runs the birthday anchor over `days` consecutive dates the way a run would: read keys, then check. */
  function fires(birthday: string, feb29: Settings['feb29'], offset: number, from: string, days: number) {
    const c = customer('c1', { birthday });
    const out: { date: string; occasion: string }[] = [];
    for (let i = 0; i < days; i++) {
      const date = addDays(from, i);
      const q = dueQuery(BIRTHDAY, offset, date, feb29);
      if (q.kind !== 'birthday' || !q.monthDays.includes(birthdayMonthDay(birthday))) continue;
      for (const o of customerOccurrences(q, [c], feb29)) out.push({ date, occasion: o.occasion });
    }
    return out;
  }

  it('a Feb 29 birthday fires exactly once a year, on the day feb29 says, for both settings', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Settings['feb29']>('feb28', 'mar1'),
        fc.integer({ min: 1971, max: 2090 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: -60, max: 60 }),
        fc.constantFrom('02-29', '1988-02-29', '2000-02-29'),
        (feb29, firstYear, years, offset, birthday) => {
          const from = `${firstYear}-01-01`;
          const days = Math.round(
            (Date.UTC(firstYear + years, 0, 1) - Date.UTC(firstYear, 0, 1)) / 86_400_000,
          );
          const got = fires(birthday, feb29, offset, from, days);
          // Every occasion year whose due day lies in the range fires once, on anchor + offset.
          const expected: { date: string; occasion: string }[] = [];
          for (let y = firstYear - 1; y <= firstYear + years; y++) {
            const date = addDays(birthdayInYear(birthday, y, feb29), offset);
            if (date >= from && date < addDays(from, days)) expected.push({ date, occasion: String(y) });
          }
          expect(got).toEqual(expected);
          expect(new Set(got.map((g) => g.occasion)).size).toBe(got.length);
          for (const g of got) {
            const anchorDay = addDays(g.date, -offset);
            const y = Number(g.occasion);
            const md = anchorDay.slice(5);
            expect(md).toBe(isLeapYear(y) ? '02-29' : feb29 === 'feb28' ? '02-28' : '03-01');
          }
          // A full year of days from Jan 1 always contains one fire per covered year when offset is 0.
          if (offset === 0) expect(got.length).toBe(years);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('an ordinary birthday fires once a year', () => {
    const got = fires('12-31', 'feb28', -7, '2026-01-01', 365 * 3 + 1);
    expect(got).toEqual([
      { date: '2026-12-24', occasion: '2026' },
      { date: '2027-12-24', occasion: '2027' },
      { date: '2028-12-24', occasion: '2028' },
    ]);
  });
});
