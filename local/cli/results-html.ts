// `touchpoint report --html FILE`: one self-contained page (no script, no CDN, no external font)
// with inline SVG charts: each campaign's funnel, its conversion rate over time treated vs holdout,
// and every campaign's uplift with its 95 % interval. Every text from the data is escaped; numbers
// are formatted here, never taken as markup.
import { COUNTERS } from '../../shared/ports/results.js';
import type { CampaignDetail, ResultsReport } from '../../shared/usecases/results/schemas.js';
import { NOT_ENOUGH_DATA, percent, points, upliftText } from './results-present.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
const num = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0');

const TREATED = '#2563eb';
const HOLDOUT = '#9ca3af';

function funnelSvg(detail: CampaignDetail): string {
  const c = detail.campaign;
  const suppressed = Object.values(c.funnel.suppressed).reduce((a, b) => a + b, 0);
  const stages: [string, number][] = [
    ['planned', c.funnel.planned],
    ['suppressed', suppressed],
    ['sent', c.funnel.sent],
    ['delivered', c.funnel.delivered],
    ['opened', c.funnel.opened],
    ['clicked', c.funnel.clicked],
    ['converted', c.treated.conversions],
  ];
  const max = Math.max(1, ...stages.map(([, v]) => v));
  const bar = 22;
  const width = 520;
  const rows = stages
    .map(([label, value], i) => {
      const y = i * (bar + 6);
      const w = (value / max) * (width - 200);
      return `<text x="0" y="${y + 16}">${escapeHtml(label)}</text><rect x="110" y="${y}" width="${num(w)}" height="${bar}" fill="${TREATED}"/><text x="${num(116 + w)}" y="${y + 16}">${value}</text>`;
    })
    .join('');
  const height = stages.length * (bar + 6);
  return `<svg role="img" aria-label="funnel" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${rows}</svg>`;
}

/** Cumulative conversion rate by day: conversions so far ÷ customers so far, for each group. */
function seriesOf(detail: CampaignDetail): { day: string; treated: number; holdout: number }[] {
  let tc = 0;
  let tn = 0;
  let hc = 0;
  let hn = 0;
  return detail.days.map(({ day, counts }) => {
    tc += counts[COUNTERS.treatedConversions] ?? 0;
    tn += counts[COUNTERS.treatedCustomers] ?? 0;
    hc += counts[COUNTERS.holdoutConversions] ?? 0;
    hn += counts[COUNTERS.holdoutCustomers] ?? 0;
    return { day, treated: tn === 0 ? 0 : tc / tn, holdout: hn === 0 ? 0 : hc / hn };
  });
}

function overTimeSvg(detail: CampaignDetail): string {
  const series = seriesOf(detail);
  if (series.length === 0) return '<p>No data in these days.</p>';
  const width = 560;
  const height = 220;
  const left = 50;
  const bottom = 30;
  const max = Math.max(0.01, ...series.flatMap((s) => [s.treated, s.holdout]));
  const x = (i: number) => left + (series.length === 1 ? 0 : (i / (series.length - 1)) * (width - left - 20));
  const y = (v: number) => height - bottom - (v / max) * (height - bottom - 10);
  const line = (pick: (s: (typeof series)[number]) => number, colour: string, dash: string) =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${series.map((s, i) => `${num(x(i))},${num(y(pick(s)))}`).join(' ')}"/>`;
  const first = series[0]?.day ?? '';
  const last = series[series.length - 1]?.day ?? '';
  return `<svg role="img" aria-label="conversion rate over time, treated vs holdout" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<line x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#444"/>
<line x1="${left}" y1="10" x2="${left}" y2="${height - bottom}" stroke="#444"/>
<text x="0" y="${num(y(max)) + 4}">${escapeHtml(percent(max))}</text><text x="0" y="${height - bottom}">0 %</text>
<text x="${left}" y="${height - 8}">${escapeHtml(first)}</text><text x="${width - 90}" y="${height - 8}">${escapeHtml(last)}</text>
${line((s) => s.treated, TREATED, '')}${line((s) => s.holdout, HOLDOUT, ' stroke-dasharray="5,4"')}
<text x="${width - 160}" y="20" fill="${TREATED}">— treated</text><text x="${width - 160}" y="36" fill="${HOLDOUT}">- - holdout</text>
</svg>`;
}

function upliftSvg(report: ResultsReport): string {
  const rows = report.campaigns;
  const width = 620;
  const left = 160;
  const right = width - 20;
  const rowHeight = 28;
  const height = rows.length * rowHeight + 30;
  const bounds = rows.flatMap((c) => (c.uplift === null ? [] : [c.uplift.low, c.uplift.high]));
  const span = Math.max(0.05, ...bounds.map(Math.abs));
  const x = (v: number) => left + ((v + span) / (2 * span)) * (right - left);
  const marks = rows
    .map((c, i) => {
      const y = i * rowHeight + 20;
      const label = `<text x="0" y="${y + 4}">${escapeHtml(c.campaignId)}</text>`;
      if (c.uplift === null)
        return `${label}<text x="${left}" y="${y + 4}" fill="#666">not enough data</text>`;
      const { value, low, high } = c.uplift;
      return `${label}<line x1="${num(x(low))}" y1="${y}" x2="${num(x(high))}" y2="${y}" stroke="${TREATED}" stroke-width="2"/><circle cx="${num(x(value))}" cy="${y}" r="4" fill="${TREATED}"/><title>${escapeHtml(upliftText(c))}</title>`;
    })
    .join('');
  return `<svg role="img" aria-label="uplift with 95 % interval" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<line x1="${num(x(0))}" y1="5" x2="${num(x(0))}" y2="${height - 20}" stroke="#444" stroke-dasharray="3,3"/>
<text x="${num(x(0) - 4)}" y="${height - 4}">0</text><text x="${left}" y="${height - 4}">${escapeHtml(points(-span))}</text><text x="${right - 60}" y="${height - 4}">${escapeHtml(points(span))}</text>
${marks}</svg>`;
}

function campaignSection(detail: CampaignDetail): string {
  const c = detail.campaign;
  const cell = (s: string | number) => `<td>${escapeHtml(String(s))}</td>`;
  const suppressed =
    Object.entries(c.funnel.suppressed)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ') || '–';
  return `<section>
<h2>${escapeHtml(c.campaignId)}</h2>
<p>Goal: ${escapeHtml(c.goal === null ? '(none declared)' : JSON.stringify(c.goal))}</p>
<table><tr><th>treated</th><th>holdout</th><th>uplift (treated − holdout)</th><th>cost</th><th>per conversion</th></tr>
<tr>${cell(`${c.treated.conversions}/${c.treated.customers} (${percent(c.treated.rate)})`)}${cell(`${c.holdout.conversions}/${c.holdout.customers} (${percent(c.holdout.rate)})`)}${cell(c.uplift === null ? NOT_ENOUGH_DATA : upliftText(c))}${cell(`${c.cost.currency} ${c.cost.total.toFixed(4)}`)}${cell(c.cost.perConversion === null ? '–' : `${c.cost.currency} ${c.cost.perConversion.toFixed(4)}`)}</tr></table>
<p>Suppressed: ${escapeHtml(suppressed)}</p>
<h3>Funnel</h3>${funnelSvg(detail)}
<h3>Conversion rate over time (cumulative), treated vs holdout</h3>${overTimeSvg(detail)}
</section>`;
}

/** The whole page. `details` holds one entry per campaign of the report, in its order. */
export function resultsHtml(report: ResultsReport, details: readonly CampaignDetail[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Touchpoint results ${escapeHtml(report.from)} … ${escapeHtml(report.to)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}svg text{font:12px system-ui,sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}section{margin-top:2em}</style>
</head><body>
<h1>Results ${escapeHtml(report.from)} … ${escapeHtml(report.to)}</h1>
<p>Rates are conversions ÷ customers; uplift is the treated rate minus the holdout rate, in percentage points, with its 95 % interval (Newcombe's hybrid score method) and a two-sided p-value. See docs/results.md.</p>
<h2>Uplift with its 95 % interval</h2>${upliftSvg(report)}
${details.map(campaignSection).join('\n')}
</body></html>
`;
}
