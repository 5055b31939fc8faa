// The calendar use case over in-memory ports: consecutive days from `from`, an unknown campaign
// named, and the time budget that stops starting days and says where to go on.
import { describe, expect, it } from 'vitest';
import { planCalendar } from '../../../shared/usecases/plan/calendar.js';
import { sharedDueReads } from '../../../shared/usecases/plan/shared-reads.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';

describe('the calendar use case', () => {
  it('plans consecutive days from `from`, with totals', async () => {
    const store = memoryStores();
    const result = await planCalendar({ store }, { from: '2026-12-30', days: 4 });
    if (!result.ok) throw new Error('unexpected');
    expect(result.calendar.days.map((d) => d.date)).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(result.calendar.nextFrom).toBeUndefined();
    expect(result.calendar.totals.touches).toBe(0);
  });

  it('names an unknown campaign', async () => {
    const result = await planCalendar(
      { store: memoryStores() },
      { from: '2026-12-01', days: 2, campaignId: 'x' },
    );
    expect(result).toEqual({ ok: false, reason: 'unknown-campaign', campaignId: 'x' });
  });

  it('starts no day once the budget is spent, and says where to go on; the first day always runs', async () => {
    let t = 0;
    // Each look at the clock is 7 s later: days 1–3 start (0, 7, 14 s), day 4 would start at 21 s.
    const nowMs = () => {
      const at = t;
      t += 7_000;
      return at;
    };
    const result = await planCalendar(
      { store: memoryStores(), nowMs, budgetMs: 20_000, parallelDays: 1 },
      { from: '2026-12-01', days: 10 },
    );
    if (!result.ok) throw new Error('unexpected');
    expect(result.calendar.days.map((d) => d.date)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(result.calendar.nextFrom).toBe('2026-12-04');

    const spent = await planCalendar(
      { store: memoryStores(), nowMs: () => 0, budgetMs: 0 },
      { from: '2026-12-01', days: 3 },
    );
    if (!spent.ok) throw new Error('unexpected');
    expect(spent.calendar.days.map((d) => d.date)).toEqual(['2026-12-01']);
    expect(spent.calendar.nextFrom).toBe('2026-12-02');
  });
});

describe("the calendar's shared due reads", () => {
  it('read each index day and each profile once per request, and forget a failed read', async () => {
    const store = memoryStores();
    const calls: string[] = [];
    let failNext = true;
    const due = sharedDueReads({
      ...store.due,
      contractsEndingOn: async (day) => {
        calls.push(`end ${day}`);
        return [];
      },
      profilesBornOn: async (md) => {
        calls.push(`born ${md}`);
        if (failNext) {
          failNext = false;
          throw new Error('throttled');
        }
        return [];
      },
      getCustomers: async (ids) => {
        calls.push(`customers ${ids.join(',')}`);
        return new Map();
      },
    });
    await Promise.all([due.contractsEndingOn('2026-12-30'), due.contractsEndingOn('2026-12-30')]);
    await due.contractsEndingOn('2026-12-31');
    await expect(due.profilesBornOn('12-01')).rejects.toThrow('throttled');
    await due.profilesBornOn('12-01');
    await due.profilesBornOn('12-01');
    await due.getCustomers(['a', 'b']);
    await due.getCustomers(['b', 'c']);
    expect(calls).toEqual([
      'end 2026-12-30',
      'end 2026-12-31',
      'born 12-01',
      'born 12-01',
      'customers a,b',
      'customers c',
    ]);
  });
});
