// The value pyramid: tiers are ordered from the top, so the first whose minimum is reached wins.
import type { Settings } from './documents.js';

/** The customer's tier id, or undefined when the value is below every tier's minimum. */
export function tierOf(monthlyValue: number, tiers: Settings['tiers']): string | undefined {
  return tiers.find((t) => t.minMonthlyValue <= monthlyValue)?.id;
}
