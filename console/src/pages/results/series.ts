// The Results page's arithmetic, kept pure so the unit tests pin it (test/unit/console/results-series.test.ts):
// the funnel's stages, the cumulative conversion rate by day for treated and holdout, and the
// geometry of the line chart and the uplift interval bar. The counter names come from the server's
// own list (shared/ports/results.ts has no imports, so nothing server-side reaches the browser).
import { COUNTERS } from '../../../../shared/ports/results.js';
import type { CampaignReport, DayCounts } from './schemas.js';

export const FUNNEL_STAGES = ['planned', 'sent', 'delivered', 'opened', 'clicked', 'converted'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** planned → sent → delivered → opened → clicked → converted (the treated conversions, as the CLI's table). */
export function funnelStages(c: CampaignReport): { stage: FunnelStage; value: number }[] {
  const f = c.funnel;
  const values: Record<FunnelStage, number> = {
    planned: f.planned,
    sent: f.sent,
    delivered: f.delivered,
    opened: f.opened,
    clicked: f.clicked,
    converted: c.treated.conversions,
  };
  return FUNNEL_STAGES.map((stage) => ({ stage, value: values[stage] }));
}

/** A bar's share of the widest (the first stage is usually the widest, but not always). */
export const barShare = (value: number, all: readonly number[]): number => {
  const max = Math.max(0, ...all);
  return max === 0 ? 0 : value / max;
};

export interface SeriesPoint {
  day: string;
  /** Customers and conversions so far (cumulative up to and including `day`). */
  treatedCustomers: number;
  treatedConversions: number;
  holdoutCustomers: number;
  holdoutConversions: number;
  /** Conversions so far ÷ customers so far; null before the group has a customer. */
  treatedRate: number | null;
  holdoutRate: number | null;
}

/**
 * Cumulative conversion rate by due day, treated vs holdout: the counters are kept under the touch's
 * due day, and a conversion counts on the day of the touch it is attributed to (docs/results.md),
 * so the last point equals the report's rates. Days arrive sorted; they are sorted again to be safe.
 */
export function cumulativeSeries(days: readonly DayCounts[]): SeriesPoint[] {
  let tn = 0;
  let tc = 0;
  let hn = 0;
  let hc = 0;
  return [...days]
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map(({ day, counts }) => {
      tn += counts[COUNTERS.treatedCustomers] ?? 0;
      tc += counts[COUNTERS.treatedConversions] ?? 0;
      hn += counts[COUNTERS.holdoutCustomers] ?? 0;
      hc += counts[COUNTERS.holdoutConversions] ?? 0;
      return {
        day,
        treatedCustomers: tn,
        treatedConversions: tc,
        holdoutCustomers: hn,
        holdoutConversions: hc,
        treatedRate: tn === 0 ? null : tc / tn,
        holdoutRate: hn === 0 ? null : hc / hn,
      };
    });
}

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A round top for the rate axis: the next 10 % step above the largest rate (at least 10 %). */
export const rateAxisMax = (series: readonly SeriesPoint[]): number => {
  const max = Math.max(0, ...series.flatMap((p) => [p.treatedRate ?? 0, p.holdoutRate ?? 0]));
  return Math.max(0.1, Math.ceil(max * 10 - 1e-9) / 10);
};

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/**
 * The polyline points of one group's rate, skipping days before it has a customer. x is the date
 * (a day without counters leaves its gap; one day sits in the middle); y maps 0…yMax to the
 * bottom…top of the plot. Coordinates are rounded to 0.1.
 */
export function linePoints(
  series: readonly SeriesPoint[],
  pick: (p: SeriesPoint) => number | null,
  box: ChartBox,
  yMax: number,
): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const first = dayNumber(series[0]?.day ?? '');
  const span = dayNumber(series[series.length - 1]?.day ?? '') - first;
  const x = (day: string) => box.left + (span > 0 ? ((dayNumber(day) - first) / span) * plotW : plotW / 2);
  const y = (v: number) => box.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const out: string[] = [];
  for (const p of series) {
    const v = pick(p);
    if (v !== null) out.push(`${r(x(p.day))},${r(y(v))}`);
  }
  return out.join(' ');
}

/**
 * The uplift bar's scale: symmetric around 0, wide enough for the interval and 0 itself, with a
 * round end (a multiple of 10 pp, at least 10 pp). Returns the position (0…1) of a value on it.
 */
export function intervalScale(u: { low: number; high: number; value: number }): {
  span: number;
  at: (v: number) => number;
} {
  const reach = Math.max(Math.abs(u.low), Math.abs(u.high), Math.abs(u.value));
  const span = Math.min(1, Math.max(0.1, Math.ceil(reach * 10 - 1e-9) / 10));
  return { span, at: (v: number) => (Math.max(-span, Math.min(span, v)) + span) / (2 * span) };
}

/** What the interval says, in the words of docs/results.md "How to read the interval". */
export type IntervalReading = 'above' | 'spans' | 'below';
export const readInterval = (u: { low: number; high: number }): IntervalReading =>
  u.low > 0 ? 'above' : u.high < 0 ? 'below' : 'spans';
