// The calendar's arithmetic, pure so it is unit-tested (test/unit/console/calendar-grid.test.ts):
// the weeks of a month grid, the filters (campaign, tier, channel) applied to a day's groups, and the
// totals of what is shown. Money is added in millionths, as the API adds it, so sums do not drift.

export interface DayLike {
  date: string;
  touches: number;
  suppressed: number;
  estimatedCost: { amount: number; currency: string };
  groups: readonly GroupLike[];
}
export interface GroupLike {
  campaignId: string;
  stepId: string;
  tier: string;
  channel: string;
  touches: number;
  suppressed: number;
  estimatedCost: { amount: number; currency: string };
}

export interface CalendarFilter {
  campaign?: string | undefined;
  tier?: string | undefined;
  channel?: string | undefined;
}

export interface Figures {
  touches: number;
  suppressed: number;
  cost: { amount: number; currency: string };
  /** False when a filter is on: a run's infrastructure cost belongs to the day, not to a group. */
  infraIncluded: boolean;
}

const DAY_MS = 86_400_000;

/** YYYY-MM-DD plus n days (calendar dates, no time zone involved). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday (ISO 8601 weeks, as the console's grid is laid out). */
export function isoWeekday(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Consecutive dates laid out Monday-first in weeks of 7; `null` pads before the first and after the last. */
export function monthWeeks(dates: readonly string[]): (string | null)[][] {
  const first = dates[0];
  if (first === undefined) return [];
  const cells: (string | null)[] = [...Array<null>(isoWeekday(first)).fill(null), ...dates];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export const isFiltered = (f: CalendarFilter): boolean =>
  f.campaign !== undefined || f.tier !== undefined || f.channel !== undefined;

export const groupMatches = (g: GroupLike, f: CalendarFilter): boolean =>
  (f.campaign === undefined || g.campaignId === f.campaign) &&
  (f.tier === undefined || g.tier === f.tier) &&
  (f.channel === undefined || g.channel === f.channel);

const micros = (amount: number): number => Math.round(amount * 1e6);

/** What a day shows: its own figures unfiltered, else the sum of the groups the filter keeps. */
export function dayFigures(day: DayLike, f: CalendarFilter): Figures {
  if (!isFiltered(f))
    return {
      touches: day.touches,
      suppressed: day.suppressed,
      cost: { amount: day.estimatedCost.amount, currency: day.estimatedCost.currency },
      infraIncluded: true,
    };
  let touches = 0;
  let suppressed = 0;
  let cost = 0;
  for (const g of day.groups) {
    if (!groupMatches(g, f)) continue;
    touches += g.touches;
    suppressed += g.suppressed;
    cost += micros(g.estimatedCost.amount);
  }
  return {
    touches,
    suppressed,
    cost: { amount: cost / 1e6, currency: day.estimatedCost.currency },
    infraIncluded: false,
  };
}

/** The sum of what the days show under the filter; undefined currency when there are no days. */
export function totalFigures(days: readonly DayLike[], f: CalendarFilter): Figures {
  let touches = 0;
  let suppressed = 0;
  let cost = 0;
  for (const d of days) {
    const x = dayFigures(d, f);
    touches += x.touches;
    suppressed += x.suppressed;
    cost += micros(x.cost.amount);
  }
  return {
    touches,
    suppressed,
    cost: { amount: cost / 1e6, currency: days[0]?.estimatedCost.currency ?? 'USD' },
    infraIncluded: !isFiltered(f),
  };
}

/** The values each filter can take, from the groups of the days loaded, sorted. */
export function filterOptions(days: readonly DayLike[]): {
  campaigns: string[];
  tiers: string[];
  channels: string[];
} {
  const campaigns = new Set<string>();
  const tiers = new Set<string>();
  const channels = new Set<string>();
  for (const d of days)
    for (const g of d.groups) {
      campaigns.add(g.campaignId);
      tiers.add(g.tier);
      channels.add(g.channel);
    }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { campaigns: sorted(campaigns), tiers: sorted(tiers), channels: sorted(channels) };
}

/** The browser's local date as YYYY-MM-DD: the calendar starts at the user's today, not UTC's. */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
