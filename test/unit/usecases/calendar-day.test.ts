// The calendar's counting (shared/usecases/plan/calendar-day.ts): groups by campaign, step, tier and
// channel, suppressions by reason, message prices per group and the dry run's own estimate per day.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, resolvePrices } from '../../../shared/domain/prices.js';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import { calendarDay, calendarTotals } from '../../../shared/usecases/plan/calendar-day.js';
import { estimatePlanCost } from '../../../shared/usecases/results/count-run.js';

const t = (over: Partial<PlannedTouch>): PlannedTouch => ({
  campaignId: 'renewal',
  stepId: 'd-30',
  customerId: 'c-1',
  channel: 'email',
  occasion: 'k-1',
  tier: 'standard',
  locale: 'en-US',
  dueDate: '2026-12-01',
  sendAt: '2026-12-01T09:00:00.000Z',
  windowEnd: '2026-12-01T17:00:00.000Z',
  status: 'planned',
  address: 'c-1@example.com',
  template: 'x',
  ...over,
});

const touches: PlannedTouch[] = [
  t({ customerId: 'c-1' }),
  t({ customerId: 'c-2' }),
  t({ customerId: 'c-3', tier: 'key' }),
  // Two SMS to Germany (0.0793 each) and one to the US (0.00581), transactional for `care`.
  t({ customerId: 'c-4', channel: 'sms', address: '+4915112345678', tier: 'key' }),
  t({ customerId: 'c-5', channel: 'sms', address: '+4915112345679', tier: 'key' }),
  t({ campaignId: 'care', stepId: 'd2', customerId: 'c-6', channel: 'sms', address: '+14155550123' }),
  t({ customerId: 'c-7', status: 'suppressed', reason: 'no-consent' }),
  t({
    customerId: 'c-8',
    status: 'suppressed',
    reason: 'no-consent',
    channel: 'sms',
    address: '+4915112345670',
  }),
  t({ customerId: 'c-9', status: 'suppressed', reason: 'holdout' }),
  t({ customerId: 'c-10', status: 'suppressed', reason: 'already-sent' }),
];
const smsTypeOf = (id: string) => (id === 'care' ? ('transactional' as const) : ('promotional' as const));
const opts = { prices: DEFAULT_PRICES, smsTypeOf };

describe('a calendar day', () => {
  const day = calendarDay('2026-12-01', touches, opts);

  it('counts the touches going out and those suppressed, by reason, most first', () => {
    expect(day.touches).toBe(6);
    expect(day.suppressed).toBe(4);
    expect(day.suppressions).toEqual([
      { reason: 'no-consent', count: 2 },
      { reason: 'already-sent', count: 1 },
      { reason: 'holdout', count: 1 },
    ]);
  });

  it('groups by campaign, step, tier and channel, each priced at its messages', () => {
    expect(
      day.groups.map((g) => [g.campaignId, g.stepId, g.tier, g.channel, g.touches, g.suppressed]),
    ).toEqual([
      ['care', 'd2', 'standard', 'sms', 1, 0],
      ['renewal', 'd-30', 'key', 'email', 1, 0],
      ['renewal', 'd-30', 'key', 'sms', 2, 0],
      ['renewal', 'd-30', 'standard', 'email', 2, 3],
      ['renewal', 'd-30', 'standard', 'sms', 0, 1],
    ]);
    const cost = (i: number) => day.groups[i]?.estimatedCost;
    expect(cost(0)).toEqual({ amount: 0.00581, currency: 'USD' });
    expect(cost(1)).toEqual({ amount: 0.0001, currency: 'USD' });
    expect(cost(2)).toEqual({ amount: 0.1586, currency: 'USD' });
    expect(cost(3)).toEqual({ amount: 0.0002, currency: 'USD' });
    expect(cost(4)).toEqual({ amount: 0, currency: 'USD' });
  });

  it("costs the day exactly as the dry run's estimate (GET /v1/plan's cost): messages plus the run", () => {
    const plan = estimatePlanCost(touches, opts);
    expect(day.estimatedCost).toEqual({
      amount: plan.total,
      currency: 'USD',
      messages: plan.messages,
      infra: plan.infra,
    });
    const groupMessages = day.groups.reduce((n, g) => n + g.estimatedCost.amount, 0);
    expect(day.estimatedCost.messages).toBeCloseTo(groupMessages, 9);
    expect(day.estimatedCost.infra).toBeGreaterThan(0);
  });

  it('prices in the settings currency, and a day without touches costs nothing', () => {
    const eur = resolvePrices({ currency: 'EUR', email: { perThousand: 0.2 } });
    const priced = calendarDay('2026-12-01', [t({})], { prices: eur, smsTypeOf });
    expect(priced.groups[0]?.estimatedCost).toEqual({ amount: 0.0002, currency: 'EUR' });
    expect(calendarDay('2026-12-02', [], opts)).toEqual({
      date: '2026-12-02',
      touches: 0,
      suppressed: 0,
      estimatedCost: { amount: 0, currency: 'USD', messages: 0, infra: 0 },
      groups: [],
      suppressions: [],
    });
  });
});

describe('the calendar totals', () => {
  it('add the days up, reasons merged, amounts without drift', () => {
    const a = calendarDay('2026-12-01', touches, opts);
    const b = calendarDay('2026-12-02', touches.slice(0, 7), opts);
    const totals = calendarTotals([a, b], 'USD');
    expect(totals.touches).toBe(a.touches + b.touches);
    expect(totals.suppressed).toBe(a.suppressed + b.suppressed);
    expect(totals.suppressions).toEqual([
      { reason: 'no-consent', count: 3 },
      { reason: 'already-sent', count: 1 },
      { reason: 'holdout', count: 1 },
    ]);
    expect(totals.estimatedCost.amount).toBe(
      Math.round((a.estimatedCost.amount + b.estimatedCost.amount) * 1e6) / 1e6,
    );
  });
});
