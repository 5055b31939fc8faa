// The results report for people: a funnel table and a results table (treated vs holdout, uplift with
// its 95 % interval, cost). `touchpoint report` and the demo's last lines print these.
import { MIN_GROUP_CUSTOMERS, MIN_TOTAL_CONVERSIONS } from '../../shared/domain/uplift.js';
import type { CampaignReport, ResultsReport } from '../../shared/usecases/results/schemas.js';
import { table } from './output.js';

export const NOT_ENOUGH_DATA = `not enough data (needs ≥ ${MIN_GROUP_CUSTOMERS} customers in each group and ≥ ${MIN_TOTAL_CONVERSIONS} conversions)`;

/** A fraction as a percentage with one decimal: 0.2 → "20.0 %". */
export const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;
/** A difference of fractions in percentage points, signed: 0.12 → "+12.0 pp". */
export const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pp`;

const money = (currency: string, x: number): string =>
  `${currency} ${x < 1 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`;

function goalText(c: CampaignReport): string {
  if (c.goal === null) return '(none)';
  const within = c.goal.withinDays !== undefined ? ` ≤${c.goal.withinDays}d` : '';
  const types = Array.isArray(c.goal.eventTypes) ? ` ${c.goal.eventTypes.map(String).join('|')}` : '';
  return `${c.goal.type}${types}${within}`;
}

/** The uplift as one phrase: "+12.0 pp (95 % CI +2.1 pp to +19.8 pp), p = 0.041", or "not enough data …". */
export function upliftText(c: CampaignReport): string {
  if (c.uplift === null) return NOT_ENOUGH_DATA;
  const { value, low, high, pValue } = c.uplift;
  const p = pValue < 0.001 ? 'p < 0.001' : `p = ${pValue.toFixed(3)}`;
  return `${points(value)} (95 % CI ${points(low)} to ${points(high)}), ${p}`;
}

export function funnelTable(report: ResultsReport): string {
  return table(
    report.campaigns.map((c) => ({
      campaign: c.campaignId,
      planned: c.funnel.planned,
      suppressed: Object.entries(c.funnel.suppressed)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', '),
      sent: c.funnel.sent,
      delivered: c.funnel.delivered,
      bounced: c.funnel.bounced,
      complained: c.funnel.complained,
      opened: c.funnel.opened,
      clicked: c.funnel.clicked,
      unsubscribed: c.funnel.unsubscribed,
      converted: c.treated.conversions,
    })),
    [
      'campaign',
      'planned',
      'suppressed',
      'sent',
      'delivered',
      'bounced',
      'complained',
      'opened',
      'clicked',
      'unsubscribed',
      'converted',
    ],
  );
}

export function resultsTable(report: ResultsReport): string {
  return table(
    report.campaigns.map((c) => ({
      campaign: c.campaignId,
      goal: goalText(c),
      treated: `${c.treated.conversions}/${c.treated.customers} ${percent(c.treated.rate)}`,
      holdout: `${c.holdout.conversions}/${c.holdout.customers} ${percent(c.holdout.rate)}`,
      'uplift (treated − holdout)': upliftText(c),
      cost: money(c.cost.currency, c.cost.total),
      'per conversion': c.cost.perConversion === null ? '–' : money(c.cost.currency, c.cost.perConversion),
    })),
    ['campaign', 'goal', 'treated', 'holdout', 'uplift (treated − holdout)', 'cost', 'per conversion'],
  );
}

/** Both tables under a heading naming the days: what `touchpoint report` prints without --json. */
export function resultsText(report: ResultsReport): string {
  return [
    `Results ${report.from} … ${report.to} (due days; rates are conversions ÷ customers, uplift in percentage points)`,
    '',
    'Funnel:',
    funnelTable(report),
    '',
    'Conversions, treated vs holdout:',
    resultsTable(report),
  ].join('\n');
}
