// The shared send schedule on DynamoDB Local: the conditional updates that let every sending
// instance hold one rate together (shared/store/rate-budget.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { SharedRateBudget } from '../../../shared/channels/rate-budget.js';
import { RateScheduleRows } from '../../../shared/store/rate-budget.js';
import { Table } from '../../../shared/store/table.js';
import { createTestStore } from '../support/ddb.js';

let table: Table;
beforeAll(async () => {
  const { client, tableName } = await createTestStore();
  table = new Table(client, tableName);
});

describe('the shared send schedule', () => {
  it('gives forty senders booking at once forty distinct send times one interval apart, none twice', async () => {
    const rows = new RateScheduleRows(table);
    const now = Date.parse('2027-01-11T09:00:00.000Z');
    const bookings = await Promise.all(
      Array.from({ length: 40 }, () => rows.book('email', now, 72, now + 10_000)),
    );
    const times = bookings.flatMap((b) => ('sendAt' in b ? [b.sendAt] : []));
    // A sender that lost a race between the two writes asks again; none is given a taken time.
    const again = bookings.length - times.length;
    for (let i = 0; i < again; i++) {
      const b = await rows.book('email', now, 72, now + 10_000);
      if ('sendAt' in b) times.push(b.sendAt);
    }
    const sorted = [...times].sort((a, b) => a - b);
    expect(sorted).toEqual(Array.from({ length: 40 }, (_, i) => now + i * 72));
  });

  it('refuses to book past the horizon and says when to ask again', async () => {
    const rows = new RateScheduleRows(table);
    const now = Date.parse('2027-01-11T10:00:00.000Z');
    for (let i = 0; i < 3; i++)
      expect(await rows.book('sms', now, 1000, now + 2500)).toEqual({ sendAt: now + i * 1000 });
    expect(await rows.book('sms', now, 1000, now + 2500)).toEqual({ retryAt: now + 500 });
  });

  it('holds the rate for eight limiters over the table: every booked send time at least one interval after the last', async () => {
    const rows = new RateScheduleRows(table);
    const booked: number[] = [];
    const recording = {
      book: async (channel: string, now: number, intervalMs: number, horizon: number) => {
        const booking = await rows.book(channel, now, intervalMs, horizon);
        if ('sendAt' in booking) booked.push(booking.sendAt);
        return booking;
      },
    };
    const limiters = Array.from(
      { length: 8 },
      () => new SharedRateBudget({ channel: 'eight-limiters', ratePerSecond: 50, schedule: recording }),
    );
    await Promise.all(
      limiters.map(async (l) => {
        for (let n = 0; n < 5; n++) await l.acquire();
      }),
    );
    const sorted = [...booked].sort((a, b) => a - b);
    // 40 sends; a time that came back too late to use (a slow write) is given up, never reused.
    expect(sorted.length).toBeGreaterThanOrEqual(40);
    for (const [i, t] of sorted.entries())
      if (i > 0) expect(t - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(20);
  });
});
