// SelectRun's date arithmetic and catch-up choice, over an in-memory RunStore.
import fc from 'fast-check';
import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { DateClaim, RunMeta, RunStore } from '../../../shared/ports/runs.js';
import type { Stores } from '../../../shared/store/stores.js';
import {
  catchUpDates,
  dateForScheduledTime,
  FiringAlreadyStartedError,
  startRun,
} from '../../../shared/usecases/run/start-run.js';

class MemoryRunDates
  implements
    Pick<RunStore, 'completedDates' | 'firstScheduledDate' | 'putRunMeta' | 'claimDates' | 'dateClaims'>
{
  readonly metas: RunMeta[] = [];
  readonly claims: DateClaim[] = [];
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
  async claimDates(dates: readonly string[], run: { runId: string; startedAt: string }) {
    for (const date of dates) this.claims.push({ date, ...run });
  }
  readonly firings = new Map<string, string>();
  async recordFiring(firing: string, runId: string) {
    const held = this.firings.get(firing) ?? runId;
    this.firings.set(firing, held);
    return held;
  }
  async dateClaims(from: string, to: string) {
    return this.claims.filter((c) => c.date >= from && c.date <= to);
  }
}

const asRunStore = (m: MemoryRunDates): Pick<Stores, 'runs'> => ({
  runs: {
    ...m,
    completedDates: (f, t) => m.completedDates(f, t),
    firstScheduledDate: () => m.firstScheduledDate(),
    putRunMeta: (meta) => m.putRunMeta(meta),
    claimDates: (dates, run) => m.claimDates(dates, run),
    dateClaims: (f, t) => m.dateClaims(f, t),
    recordFiring: (firing, runId) => m.recordFiring(firing, runId),
    getRunMeta: async (runId) => m.metas.findLast((meta) => meta.runId === runId),
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
    expect(
      await catchUpDates(asRunStore(new MemoryRunDates([], undefined)), '2026-03-10', 2, clock.now()),
    ).toEqual([]);
  });

  it('plans the look-back dates no run completed, only after the first scheduled run', async () => {
    const store = asRunStore(new MemoryRunDates(['2026-03-05', '2026-03-08'], '2026-03-05'));
    expect(await catchUpDates(store, '2026-03-10', 2, clock.now())).toEqual(['2026-03-09']);
    expect(await catchUpDates(store, '2026-03-10', 4, clock.now())).toEqual([
      '2026-03-06',
      '2026-03-07',
      '2026-03-09',
    ]);
    expect(await catchUpDates(store, '2026-03-10', 30, clock.now())).toEqual([
      '2026-03-06',
      '2026-03-07',
      '2026-03-09',
    ]);
    expect(await catchUpDates(store, '2026-03-10', 0, clock.now())).toEqual([]);
    expect(await catchUpDates(store, '2026-03-06', 2, clock.now())).toEqual([]);
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

describe('overlapping executions', () => {
  const meta = (runId: string, date: string, startedAt: string, status: RunMeta['status']): RunMeta => ({
    runId,
    date,
    startedAt,
    status,
  });

  it('catches up only dates whose run failed or never ran, leaving a date to the execution still sending it', async () => {
    const memory = new MemoryRunDates(['2026-03-05', '2026-03-06'], '2026-03-05');
    // Yesterday's execution (D = 03-09) is still waiting for the western windows of its date.
    memory.metas.push(meta('r-09', '2026-03-09', '2026-03-08T09:00:05Z', 'sending'));
    // The run of 03-08 failed; the run of 03-07 died unrecorded and is past the run timeout.
    memory.metas.push(meta('r-08', '2026-03-08', '2026-03-07T09:00:05Z', 'failed'));
    memory.metas.push(meta('r-07', '2026-03-07', '2026-03-04T09:00:05Z', 'planning'));
    await memory.claimDates(['2026-03-09'], { runId: 'r-09', startedAt: '2026-03-08T09:00:05Z' });
    await memory.claimDates(['2026-03-08'], { runId: 'r-08', startedAt: '2026-03-07T09:00:05Z' });
    await memory.claimDates(['2026-03-07'], { runId: 'r-07', startedAt: '2026-03-04T09:00:05Z' });
    const today = { now: () => new Date('2026-03-09T09:00:05Z') };
    const started = await startRun(
      { store: asRunStore(memory), clock: today },
      { scheduledTime: '2026-03-09T09:00:00Z', runId: 'r-10' },
      { lookbackDays: 3 },
    );
    // Before: ['2026-03-07', '2026-03-08', '2026-03-09'] (03-09 planned twice, by two executions).
    expect(started).toMatchObject({ date: '2026-03-10', catchUp: ['2026-03-07', '2026-03-08'] });
    // The new run claims what it plans, so tomorrow's run leaves it alone while it runs.
    expect(memory.claims.filter((c) => c.runId === 'r-10').map((c) => c.date)).toEqual([
      '2026-03-07',
      '2026-03-08',
      '2026-03-10',
    ]);
    const tomorrow = { now: () => new Date('2026-03-10T09:00:05Z') };
    expect(await catchUpDates(asRunStore(memory), '2026-03-11', 3, tomorrow.now())).toEqual([]);
  });

  it('a campaign-scoped run claims no date', async () => {
    const memory = new MemoryRunDates([], undefined);
    await startRun(
      { store: asRunStore(memory), clock },
      { scheduledTime: '2026-03-07T09:00:00Z', campaignId: 'x', runId: 'r' },
    );
    expect(memory.claims).toEqual([]);
  });

  it('starts one run per firing: a replay of the scheduled time is refused, a SelectRun retry takes over its firing', async () => {
    const memory = new MemoryRunDates([], undefined);
    const store = asRunStore(memory);
    const firing = { scheduledTime: '2026-03-07T09:00:00Z' };
    // A SelectRun attempt that recorded the firing but failed before writing its run meta.
    await memory.recordFiring('2026-03-07T09:00:00Z#*', 'r-first');
    const retried = await startRun({ store, clock }, { ...firing, runId: 'r-retry' });
    expect(retried).toMatchObject({ runId: 'r-first', date: '2026-03-08' });
    // Before: a replay started a second run of the same date.
    await expect(startRun({ store, clock }, { ...firing, runId: 'r-replay' })).rejects.toThrow(
      FiringAlreadyStartedError,
    );
    expect(memory.metas.map((m) => m.runId)).toEqual(['r-first']);
  });
});
