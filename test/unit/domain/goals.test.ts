// Goals and last-touch attribution, pure (shared/domain/goals.ts): window edges, ties, time zones,
// renewals by status and by a new contract, keywords of sms.reply.
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../../../shared/domain/documents.js';
import {
  anchoredContract,
  DEFAULT_GOAL_DAYS,
  eventMatches,
  goalSchema,
  groupOf,
  lastTouchBefore,
  renews,
} from '../../../shared/domain/goals.js';
import type { Delivery } from '../../../shared/domain/touch.js';
import { campaign, contract } from './fixtures.js';

const row = (over: Partial<Delivery> = {}): Delivery => ({
  campaignId: 'renewal',
  stepId: 's1',
  customerId: 'c1',
  channel: 'email',
  occasion: 'k1:2026-12-31',
  status: 'sent',
  dueDate: '2026-12-01',
  sendAt: '2026-12-01T17:00:00.000Z',
  runId: 'r1',
  updatedAt: '2026-12-01T17:00:00.000Z',
  ...over,
});
const STEPS = ['s1', 's2', 's3'];
const LA = 'America/Los_Angeles';

describe('goal schema', () => {
  it('defaults withinDays to 30 and refuses a negative or unbounded window', () => {
    expect(goalSchema.parse({ type: 'activity' })).toEqual({
      type: 'activity',
      withinDays: DEFAULT_GOAL_DAYS,
    });
    expect(goalSchema.safeParse({ type: 'activity', withinDays: -1 }).success).toBe(false);
    expect(goalSchema.safeParse({ type: 'activity', withinDays: 10_000 }).success).toBe(false);
    expect(goalSchema.safeParse({ type: 'event', eventTypes: [] }).success).toBe(false);
    expect(goalSchema.safeParse({ type: 'contractRenewed', eventTypes: ['x'] }).success).toBe(false);
  });

  it('refuses a contractRenewed goal on a campaign not anchored on a contract end', () => {
    const base = campaign();
    const bad = campaignSchema.safeParse({ ...base, goal: { type: 'contractRenewed' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('goal.type');
    const ok = campaignSchema.safeParse({
      ...base,
      anchor: { type: 'contractEnd' },
      goal: { type: 'contractRenewed' },
    });
    expect(ok.success).toBe(true);
  });
});

describe('last touch within the window', () => {
  it('counts a conversion on the last day of the window and not on the day after (local days)', () => {
    const r = row({ dueDate: '2026-12-01', sendAt: '2026-12-01T17:00:00.000Z' });
    // 2026-12-31 23:59 in Los Angeles is Jan 1 07:59 UTC: still day 30 locally.
    expect(lastTouchBefore([r], '2027-01-01T07:59:00.000Z', 30, LA, STEPS)).toBe(r);
    // One minute later it is Jan 1 locally: day 31.
    expect(lastTouchBefore([r], '2027-01-01T08:00:00.000Z', 30, LA, STEPS)).toBeUndefined();
  });

  it('takes the window in the customer zone: the same instant is inside for one zone and outside for another', () => {
    const r = row({ dueDate: '2026-12-01', sendAt: '2026-12-01T01:00:00.000Z' });
    const at = '2026-12-31T23:30:00.000Z';
    // Shanghai: Jan 1 07:30 local, day 31. Los Angeles: Dec 31 15:30, day 30.
    expect(lastTouchBefore([r], at, 30, 'Asia/Shanghai', STEPS)).toBeUndefined();
    expect(lastTouchBefore([r], at, 30, LA, STEPS)).toBe(r);
  });

  it('counts a conversion at the very instant of the touch, and none before it', () => {
    const r = row();
    expect(lastTouchBefore([r], r.sendAt, 30, LA, STEPS)).toBe(r);
    expect(lastTouchBefore([r], '2026-12-01T16:59:59.999Z', 30, LA, STEPS)).toBeUndefined();
  });

  it('gives the conversion to the latest touch, and a tie at the same instant to the later step', () => {
    const early = row({ stepId: 's1', sendAt: '2026-12-01T17:00:00.000Z' });
    const late = row({ stepId: 's2', dueDate: '2026-12-10', sendAt: '2026-12-10T17:00:00.000Z' });
    expect(lastTouchBefore([late, early], '2026-12-12T00:00:00.000Z', 30, LA, STEPS)).toBe(late);
    const tieA = row({ stepId: 's3', occasion: 'k2:2026-12-31' });
    const tieB = row({ stepId: 's2', occasion: 'k3:2026-12-31' });
    expect(lastTouchBefore([tieA, tieB], '2026-12-02T00:00:00.000Z', 30, LA, STEPS)).toBe(tieA);
    expect(lastTouchBefore([tieB, tieA], '2026-12-02T00:00:00.000Z', 30, LA, STEPS)).toBe(tieA);
  });

  it('lets held-out rows take conversions (as the holdout group) and never a paused row', () => {
    const held = row({ status: 'suppressed', reason: 'holdout' });
    const paused = row({ status: 'suppressed', reason: 'paused', stepId: 's2' });
    const got = lastTouchBefore([held, paused], '2026-12-05T00:00:00.000Z', 30, LA, STEPS);
    expect(got).toBe(held);
    expect(got && groupOf(got)).toBe('holdout');
    expect(groupOf(row({ status: 'suppressed', reason: 'no-consent' }))).toBe('treated');
  });
});

describe('renewals', () => {
  const anchored = { contractId: 'k1', endDate: '2026-12-31' };

  it('reads the anchored contract from a contractEnd occasion, ids with colons included', () => {
    expect(anchoredContract('k1:2026-12-31')).toEqual(anchored);
    expect(anchoredContract('a:b:2026-12-31')).toEqual({ contractId: 'a:b', endDate: '2026-12-31' });
    expect(anchoredContract('2026')).toBeUndefined();
  });

  it('renews by status: the anchored contract itself marked renewed', () => {
    expect(
      renews(contract('k1', 'c1', { endDate: '2026-12-31', status: 'renewed' }), anchored, undefined),
    ).toBe(true);
    expect(
      renews(contract('k1', 'c1', { endDate: '2026-12-31', status: 'active' }), anchored, undefined),
    ).toBe(false);
    expect(
      renews(contract('k1', 'c1', { endDate: '2026-12-31', status: 'cancelled' }), anchored, undefined),
    ).toBe(false);
  });

  it('renews by a new contract of the same product ending past the anchored end, or by the end moving', () => {
    const product = 'mobile-plan-88';
    expect(renews(contract('k2', 'c1', { product, endDate: '2027-12-31' }), anchored, product)).toBe(true);
    expect(renews(contract('k2', 'c1', { product: 'other', endDate: '2027-12-31' }), anchored, product)).toBe(
      false,
    );
    expect(renews(contract('k2', 'c1', { product, endDate: '2026-12-31' }), anchored, product)).toBe(false);
    expect(
      renews(
        contract('k2', 'c1', { product, endDate: '2027-12-31', status: 'cancelled' }),
        anchored,
        product,
      ),
    ).toBe(false);
    expect(renews(contract('k1', 'c1', { endDate: '2027-12-31' }), anchored, undefined)).toBe(true);
  });
});

describe('event goals', () => {
  const event = (type: string, data?: Record<string, unknown>) => ({
    kind: 'event' as const,
    event: {
      id: 'e1',
      customerId: 'c1',
      type,
      occurredAt: '2026-12-02T00:00:00.000Z',
      ...(data && { data }),
    },
    countsAsActivity: type !== 'sms.reply',
  });

  it('matches an sms.reply only with a listed keyword, in any case', () => {
    const goal = goalSchema.parse({ type: 'event', eventTypes: ['sms.reply'], keywords: ['renew', 'YES'] });
    expect(eventMatches(goal, event('sms.reply', { keyword: 'RENEW', text: 'renew please' }))).toBe(true);
    expect(eventMatches(goal, event('sms.reply', { keyword: 'MAYBE', text: 'maybe' }))).toBe(false);
    expect(eventMatches(goal, event('sms.reply'))).toBe(false);
    expect(eventMatches(goal, event('purchase', { keyword: 'RENEW' }))).toBe(false);
  });

  it('matches any activity for an activity goal, as the settings count it', () => {
    const goal = goalSchema.parse({ type: 'activity' });
    expect(eventMatches(goal, event('purchase'))).toBe(true);
    expect(eventMatches(goal, event('sms.reply'))).toBe(false);
    expect(eventMatches(goalSchema.parse({ type: 'contractRenewed' }), event('purchase'))).toBe(false);
  });
});
