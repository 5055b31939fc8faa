// SelectRun's date arithmetic and catch-up choice, over an in-memory RunStore.
import fc from 'fast-check';
import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { RunMeta, RunStore } from '../../../shared/ports/runs.js';
import type { Stores } from '../../../shared/store/stores.js';
import { catchUpDates, dateForScheduledTime, startRun } from '../../../shared/usecases/run/start-run.js';

class MemoryRunDates implements Pick<RunStore, 'completedDates' | 'firstScheduledDate' | 'putRunMeta'> {
  readonly metas: RunMeta[] = [];
  constructor(
    private readonly done: string[],
    private readonly first: string | undefined,
  ) {}
  async completedDates(from: string, to: string) {
    return new Set(this.done.filter((d) => d >= from && d <= to));
  }
  async firstScheduledDate() {
    return this.first;
  }
  async putRunMeta(meta: RunMeta) {
    this.metas.push(meta);
  }
}

const asRunStore = (m: MemoryRunDates): Pick<Stores, 'runs'> => ({
  runs: {
    ...m,
    completedDates: (f, t) => m.completedDates(f, t),
    firstScheduledDate: () => m.firstScheduledDate(),
    putRunMeta: (meta) => m.putRunMeta(meta),
    getRunMeta: async () => undefined,
    putRunBatches: async () => {},
    putRunSuppressed: async () => {},
    getRunBatch: async () => undefined,
    putRunBatchResults: async () => {},
    getRunReport: async () => undefined,
    markDatesCompleted: async () => {},
  },
});

const clock = { now: () => new Date('2026-03-01T09:00:05Z') };

describe('the scheduled date', () => {
  it('is the UTC date of the firing plus one', () => {
    expect(dateForScheduledTime('2026-03-01T09:00:00Z')).toBe('2026-03-02');
    expect(dateForScheduledTime('2026-12-31T09:00:00Z')).toBe('2027-01-01');
  });

  it('a 09:00 UTC firing is before local midnight of D in every offset from UTC−12 to UTC+14', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (day, offsetMinutes) => {
          const firing = DateTime.fromJSDate(day, { zone: 'utc' }).set({
            hour: 9,
            minute: 0,
            second: 0,
            millisecond: 0,
          });
          const d = dateForScheduledTime(firing.toISO() ?? '');
          const local = firing.setZone(FixedOffsetZone.instance(offsetMinutes));
          expect(local.isValid).toBe(true);
          // The local date at the firing is before D: all of D's local day (every window) is ahead.
          expect((local.toISODate() ?? '') < d, `${firing.toISO()} in ${local.zoneName}`).toBe(true);
        },
      ),
    );
  });
});

describe('catch-up', () => {
  it('a fresh install (no completed scheduled run) catches up nothing', async () => {
    expect(await catchUpDates(asRunStore(new MemoryRunDates([], undefined)), '2026-03-10', 2)).toEqual([]);
  });

  it('plans the look-back dates no run completed, only after the first scheduled run', async () => {
    const store = asRunStore(new MemoryRunDates(['2026-03-05', '2026-03-08'], '2026-03-05'));
    expect(await catchUpDates(store, '2026-03-10', 2)).toEqual(['2026-03-09']);
    expect(await catchUpDates(store, '2026-03-10', 4)).toEqual(['2026-03-06', '2026-03-07', '2026-03-09']);
    expect(await catchUpDates(store, '2026-03-10', 30)).toEqual(['2026-03-06', '2026-03-07', '2026-03-09']);
    expect(await catchUpDates(store, '2026-03-10', 0)).toEqual([]);
    expect(await catchUpDates(store, '2026-03-06', 2)).toEqual([]);
  });

  it('an explicit date is exactly that date; a scheduled firing catches up', async () => {
    const memory = new MemoryRunDates(['2026-03-05'], '2026-03-05');
    const store = asRunStore(memory);
    expect(await startRun({ store, clock }, { date: '2026-03-08', runId: 'r1' })).toEqual({
      runId: 'r1',
      date: '2026-03-08',
    });
    expect(await startRun({ store, clock }, { scheduledTime: '2026-03-07T09:00:00Z', runId: 'r2' })).toEqual({
      runId: 'r2',
      date: '2026-03-08',
      scheduled: true,
      catchUp: ['2026-03-06', '2026-03-07'],
    });
    expect(
      await startRun(
        { store, clock },
        { scheduledTime: '2026-03-07T09:00:00Z', campaignId: 'x', runId: 'r3' },
      ),
    ).toEqual({
      runId: 'r3',
      date: '2026-03-08',
      campaignId: 'x',
      scheduled: true,
    });
    expect(memory.metas.map((m) => m.catchUp)).toEqual([undefined, ['2026-03-06', '2026-03-07'], undefined]);
  });
});
