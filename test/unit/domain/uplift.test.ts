import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  enoughData,
  groupResult,
  MIN_GROUP_CUSTOMERS,
  newcombeInterval,
  normalUpperTail,
  twoProportionPValue,
  uplift,
  wilsonInterval,
} from '../../../shared/domain/uplift.js';

const g = (conversions: number, customers: number) => ({ conversions, customers });
const four = (x: number) => Number(x.toFixed(4));

// Newcombe RG (1998), Statistics in Medicine 17:873–890, Table II, method 10 (hybrid score, no
// continuity correction), 95 %: the published worked examples, to the four places printed there.
describe("Newcombe's hybrid score interval (method 10) against the published worked values", () => {
  it.each([
    ['(a) 56/70 − 48/80', g(56, 70), g(48, 80), 0.2, -999, 0.0524, 0.3339],
    ['(b) 9/10 − 3/10', g(9, 10), g(3, 10), 0.6, -999, 0.1705, 0.809],
    ['(d) 5/56 − 0/29', g(5, 56), g(0, 29), 0.0893, -999, -0.0381, 0.1926],
    ['(f) 0/10 − 0/10', g(0, 10), g(0, 10), 0, -999, -0.2775, 0.2775],
    ['(h) 10/10 − 0/10', g(10, 10), g(0, 10), 1, -999, 0.6075, 1],
  ])('%s', (_name, a, b, value, _unused, low, high) => {
    const interval = newcombeInterval(a, b);
    expect(four(interval.value)).toBe(value);
    expect(four(interval.low)).toBe(low);
    expect(four(interval.high)).toBe(high);
  });

  it('takes its Wilson limits from the one-proportion score interval (0/10: 0 to 0.2775)', () => {
    const w = wilsonInterval(0, 10);
    expect(w.low).toBe(0);
    expect(four(w.high)).toBe(0.2775);
  });

  it('always contains the observed difference and stays inside [−1, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, f1, f2) => {
          const a = g(Math.round(f1 * n1), n1);
          const b = g(Math.round(f2 * n2), n2);
          const i = newcombeInterval(a, b);
          expect(i.low).toBeGreaterThanOrEqual(-1);
          expect(i.high).toBeLessThanOrEqual(1);
          expect(i.low).toBeLessThanOrEqual(i.value + 1e-12);
          expect(i.high).toBeGreaterThanOrEqual(i.value - 1e-12);
        },
      ),
    );
  });
});

describe('the two-sided p-value of the pooled two-proportion z-test', () => {
  it('gives the standard normal table values at z = 1.96, 2.576 and 3.291 (p = 0.05, 0.01, 0.001)', () => {
    expect(2 * normalUpperTail(1.959963984540054)).toBeCloseTo(0.05, 6);
    expect(2 * normalUpperTail(2.5758293035489)).toBeCloseTo(0.01, 6);
    expect(2 * normalUpperTail(3.2905267314919)).toBeCloseTo(0.001, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
  });

  it('equals Pearson χ² without continuity correction for 56/70 vs 48/80 (χ² = 7.0234, p = 0.0080)', () => {
    // χ² = N(ad − bc)² / (r1 r2 c1 c2) = 150 (56·32 − 14·48)² / (70·80·104·46) = 7.0234…
    const chi2 = (150 * (56 * 32 - 14 * 48) ** 2) / (70 * 80 * 104 * 46);
    expect(chi2).toBeCloseTo(7.0234, 4);
    const p = twoProportionPValue(g(56, 70), g(48, 80));
    expect(p).toBeCloseTo(2 * normalUpperTail(Math.sqrt(chi2)), 10);
    expect(four(p)).toBe(0.008);
  });

  it('is 1 when nobody (or everybody) converted in both groups', () => {
    expect(twoProportionPValue(g(0, 40), g(0, 40))).toBe(1);
    expect(twoProportionPValue(g(40, 40), g(40, 40))).toBe(1);
  });
});

describe('uplift below the stated minimum sample', () => {
  it('says "not enough data" (null) when a group has fewer than 30 customers, even with a large difference', () => {
    expect(MIN_GROUP_CUSTOMERS).toBe(30);
    expect(uplift(g(20, 100), g(0, 29))).toBeNull();
    expect(uplift(g(20, 29), g(0, 100))).toBeNull();
  });

  it('says "not enough data" when the two groups have fewer than 5 conversions together', () => {
    expect(enoughData(g(3, 100), g(1, 100))).toBe(false);
    expect(uplift(g(3, 100), g(1, 100))).toBeNull();
    expect(enoughData(g(4, 100), g(1, 100))).toBe(true);
  });

  it('states value, interval and p-value at the minimum sample', () => {
    const u = uplift(g(56, 70), g(48, 80));
    expect(u).not.toBeNull();
    expect(four(u?.value ?? Number.NaN)).toBe(0.2);
    expect(four(u?.low ?? Number.NaN)).toBe(0.0524);
    expect(four(u?.high ?? Number.NaN)).toBe(0.3339);
  });

  it('keeps rates sane when counters disagree (more conversions than customers, no customers)', () => {
    expect(groupResult(g(5, 0))).toEqual({ customers: 0, conversions: 0, rate: 0 });
    expect(groupResult(g(9, 4))).toEqual({ customers: 4, conversions: 4, rate: 1 });
  });
});
