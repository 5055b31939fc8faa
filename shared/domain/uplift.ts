// Uplift of a campaign over its holdout: the difference of two independent proportions (treated
// rate − holdout rate) with a 95 % interval and a two-sided p-value. Pure: no I/O.
//
// Interval: Newcombe's hybrid score interval, method 10 of Newcombe (1998), "Interval estimation
// for the difference between independent proportions: comparison of eleven methods", Statistics
// in Medicine 17, 873–890. It combines the Wilson score interval of each proportion; unlike the
// textbook Wald interval it stays inside [−1, 1] and keeps its coverage near 0 and 1, which is
// where conversion rates live. p-value: the pooled two-proportion z-test (the same as Pearson's
// χ² test of the 2×2 table without continuity correction). Hand-written because both are a few
// lines of arithmetic, and the unit tests pin them to Newcombe's published table.

/** z for a two-sided 95 % interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;
/**
 * The minimum sample below which no uplift is stated ("not enough data"): each group has at least
 * this many customers…
 */
export const MIN_GROUP_CUSTOMERS = 30;
/** …and the two groups have at least this many conversions together (normal approximations need events). */
export const MIN_TOTAL_CONVERSIONS = 5;

export interface GroupCounts {
  readonly customers: number;
  readonly conversions: number;
}

export interface GroupResult extends GroupCounts {
  /** conversions / customers; 0 when there are no customers. */
  readonly rate: number;
}

export interface Uplift {
  /** rate(treated) − rate(holdout), a fraction in [−1, 1]. */
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly pValue: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** Counts as they may come from counters: whole, non-negative, conversions never above customers. */
function sane(group: GroupCounts): GroupCounts {
  const customers = Math.max(0, Math.floor(group.customers));
  const conversions = Math.min(customers, Math.max(0, Math.floor(group.conversions)));
  return { customers, conversions };
}

export function groupResult(group: GroupCounts): GroupResult {
  const { customers, conversions } = sane(group);
  return { customers, conversions, rate: customers === 0 ? 0 : conversions / customers };
}

/** Wilson's score interval for one proportion k/n (Wilson 1927), without continuity correction. */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval (method 10) for p1 − p2. */
export function newcombeInterval(
  first: GroupCounts,
  second: GroupCounts,
  z: number = Z_95,
): Interval & { value: number } {
  const a = groupResult(first);
  const b = groupResult(second);
  const w1 = wilsonInterval(a.conversions, a.customers, z);
  const w2 = wilsonInterval(b.conversions, b.customers, z);
  const value = a.rate - b.rate;
  const low = value - Math.sqrt((a.rate - w1.low) ** 2 + (w2.high - b.rate) ** 2);
  const high = value + Math.sqrt((w1.high - a.rate) ** 2 + (b.rate - w2.low) ** 2);
  return { value, low: Math.max(-1, low), high: Math.min(1, high) };
}

/**
 * The standard normal's upper tail P(Z > x) for x ≥ 0, through erfc: W. J. Cody's rational
 * Chebyshev fit as given in Numerical Recipes (`erfcc`), fractional error below 1.2e-7 everywhere,
 * ample for a p-value printed to four places.
 */
export function normalUpperTail(x: number): number {
  if (x < 0) return 1 - normalUpperTail(-x);
  const z = x / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return erfc / 2;
}

/** Two-sided p-value of the pooled two-proportion z-test; 1 when the pooled rate is 0 or 1 (no evidence). */
export function twoProportionPValue(first: GroupCounts, second: GroupCounts): number {
  const a = groupResult(first);
  const b = groupResult(second);
  if (a.customers === 0 || b.customers === 0) return 1;
  const pooled = (a.conversions + b.conversions) / (a.customers + b.customers);
  const variance = pooled * (1 - pooled) * (1 / a.customers + 1 / b.customers);
  if (variance <= 0) return 1;
  const z = Math.abs(a.rate - b.rate) / Math.sqrt(variance);
  return Math.min(1, 2 * normalUpperTail(z));
}

/** Whether the groups reach the stated minimum sample (MIN_GROUP_CUSTOMERS, MIN_TOTAL_CONVERSIONS). */
export function enoughData(treated: GroupCounts, holdout: GroupCounts): boolean {
  const a = sane(treated);
  const b = sane(holdout);
  return (
    a.customers >= MIN_GROUP_CUSTOMERS &&
    b.customers >= MIN_GROUP_CUSTOMERS &&
    a.conversions + b.conversions >= MIN_TOTAL_CONVERSIONS
  );
}

/** The uplift of treated over holdout, or null below the minimum sample ("not enough data"). */
export function uplift(treated: GroupCounts, holdout: GroupCounts): Uplift | null {
  if (!enoughData(treated, holdout)) return null;
  const interval = newcombeInterval(treated, holdout);
  return { ...interval, pValue: twoProportionPValue(treated, holdout) };
}
