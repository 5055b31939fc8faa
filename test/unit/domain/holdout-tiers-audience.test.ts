import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inAudience } from '../../../shared/domain/audience.js';
import { holdoutPosition, isHeldOut } from '../../../shared/domain/holdout.js';
import { tierOf } from '../../../shared/domain/tiers.js';
import { customer, SETTINGS } from './fixtures.js';

describe('isHeldOut', () => {
  it('holds c-1002 out of win-back at 10 % (the worked example), and not the others', () => {
    const held = ['c-1001', 'c-1002', 'c-1003', 'c-1004', 'c-1005', 'c-1006'].filter((id) =>
      isHeldOut('win-back', id, 10),
    );
    expect(held).toEqual(['c-1002']);
  });

  it('is the first 4 bytes of SHA-256 as a big-endian fraction, compared with the percent', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (campaignId, customerId, pct) => {
          const hex = createHash('sha256').update(`${campaignId}:${customerId}`).digest('hex').slice(0, 8);
          const position = Number.parseInt(hex, 16) / 2 ** 32;
          expect(holdoutPosition(campaignId, customerId)).toBe(position);
          expect(isHeldOut(campaignId, customerId, pct)).toBe(position < pct / 100);
          expect(isHeldOut(campaignId, customerId, pct)).toBe(isHeldOut(campaignId, customerId, pct));
        },
      ),
    );
  });

  it('never holds anyone out at 0 % and everyone at 100 %', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(isHeldOut(a, b, 0)).toBe(false);
        expect(isHeldOut(a, b, 100)).toBe(true);
      }),
    );
  });

  it.each([5, 10, 25, 50])('holds out about %i % of 10,000 customers', (pct) => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `c-${i}`);
    const rate = ids.filter((id) => isHeldOut('win-back', id, pct)).length / ids.length;
    // Binomial standard deviation at n = 10,000 is at most 0.5 %; allow four of them.
    expect(Math.abs(rate - pct / 100)).toBeLessThan(0.02);
  });
});

describe('tierOf', () => {
  it('is the first tier from the top whose minimum the value reaches', () => {
    expect([620, 500, 499.99, 180, 100, 95, 0].map((v) => tierOf(v, SETTINGS.tiers))).toEqual([
      'key',
      'key',
      'business',
      'business',
      'business',
      'standard',
      'standard',
    ]);
  });
  it('is undefined below every minimum', () => {
    expect(
      tierOf(10, [
        { id: 'gold', minMonthlyValue: 100 },
        { id: 'silver', minMonthlyValue: 20 },
      ]),
    ).toBeUndefined();
  });
});

describe('inAudience', () => {
  const c = customer('c1', { locale: 'zh-CN', attributes: { city: 'Shanghai', vip: true, plan: 88 } });
  it('admits everyone without an audience', () => {
    expect(inAudience(c, 'standard', undefined)).toBe(true);
    expect(inAudience(c, undefined, {})).toBe(true);
  });
  it('checks tiers and locales', () => {
    expect(inAudience(c, 'key', { tiers: ['key', 'business'] })).toBe(true);
    expect(inAudience(c, 'standard', { tiers: ['key', 'business'] })).toBe(false);
    expect(inAudience(c, undefined, { tiers: ['key'] })).toBe(false);
    expect(inAudience(c, 'key', { locales: ['zh-CN'] })).toBe(true);
    expect(inAudience(c, 'key', { locales: ['zh-TW', 'en-US'] })).toBe(false);
  });
  it('compares attributes exactly, and a missing attribute does not match', () => {
    expect(inAudience(c, 'key', { attributes: { city: ['Shanghai', 'Beijing'] } })).toBe(true);
    expect(inAudience(c, 'key', { attributes: { city: ['shanghai'] } })).toBe(false);
    expect(inAudience(c, 'key', { attributes: { plan: [88] } })).toBe(true);
    expect(inAudience(c, 'key', { attributes: { plan: ['88'] } })).toBe(false);
    expect(inAudience(c, 'key', { attributes: { vip: [true] } })).toBe(true);
    expect(inAudience(c, 'key', { attributes: { vip: ['true'] } })).toBe(false);
    expect(inAudience(c, 'key', { attributes: { region: ['east'] } })).toBe(false);
    expect(inAudience(customer('c2'), 'key', { attributes: { city: ['Shanghai'] } })).toBe(false);
  });
  it('requires every given filter to match', () => {
    expect(
      inAudience(c, 'key', {
        tiers: ['key'],
        locales: ['zh-CN'],
        attributes: { city: ['Shanghai'], vip: [true] },
      }),
    ).toBe(true);
    expect(
      inAudience(c, 'key', {
        tiers: ['key'],
        locales: ['zh-CN'],
        attributes: { city: ['Shanghai'], vip: [false] },
      }),
    ).toBe(false);
    expect(inAudience(c, 'key', { tiers: ['key'], locales: ['en-US'] })).toBe(false);
  });
});
