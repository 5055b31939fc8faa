import { describe, expect, it } from 'vitest';
import { resultsHtml } from '../../../local/cli/results-html.js';
import { NOT_ENOUGH_DATA, resultsText, upliftText } from '../../../local/cli/results-present.js';
import type {
  CampaignDetail,
  CampaignReport,
  ResultsReport,
} from '../../../shared/usecases/results/schemas.js';

const HOSTILE = '<script>alert("x")</script>&';

const campaign = (campaignId: string, withUplift: boolean): CampaignReport => ({
  campaignId,
  goal: { type: 'event', eventTypes: [HOSTILE], withinDays: 30 },
  funnel: {
    planned: 10,
    suppressed: { [HOSTILE]: 2 },
    sent: 8,
    delivered: 7,
    bounced: 1,
    complained: 0,
    opened: 4,
    clicked: 2,
    unsubscribed: 0,
  },
  treated: { customers: 200, conversions: 40, rate: 0.2 },
  holdout: { customers: 50, conversions: 4, rate: 0.08 },
  uplift: withUplift ? { value: 0.12, low: 0.0123, high: 0.1987, pValue: 0.0432 } : null,
  cost: { currency: 'USD', total: 0.5, perConversion: 0.0125 },
});

const report: ResultsReport = {
  from: '2026-11-26',
  to: '2026-12-31',
  campaigns: [campaign(HOSTILE, true), campaign('quiet', false)],
};
const detail = (c: CampaignReport): CampaignDetail => ({
  from: report.from,
  to: report.to,
  campaign: c,
  days: [
    { day: '2026-11-26', counts: { 'treated.customers': 100, 'holdout.customers': 25 } },
    {
      day: '2026-11-27',
      counts: {
        'treated.customers': 100,
        'holdout.customers': 25,
        'treated.conversions': 40,
        'holdout.conversions': 4,
      },
    },
  ],
  breakdown: [{ stepId: HOSTILE, channel: 'email', tier: 'standard', locale: 'en-US', counts: { sent: 8 } }],
});

describe('touchpoint report --html', () => {
  const page = resultsHtml(report, report.campaigns.map(detail));

  it('escapes every text from the data (a campaign id, a reason, a goal holding markup)', () => {
    expect(page).not.toContain('<script>');
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
  });

  it('is self-contained: no script, no link or source outside the page', () => {
    expect(page).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(page).toContain("default-src 'none'");
  });

  it('draws the funnel, conversions over time treated vs holdout, and the uplift with its interval', () => {
    expect(page).toContain('aria-label="funnel"');
    expect(page).toContain('aria-label="conversion rate over time, treated vs holdout"');
    expect(page).toContain('aria-label="uplift with 95 % interval"');
    expect(page.match(/<polyline/g)).toHaveLength(4);
    expect(page).toContain('not enough data');
  });
});

describe('touchpoint report (tables)', () => {
  it('states the uplift with its interval in percentage points, or "not enough data" below the minimum sample', () => {
    expect(upliftText(campaign('a', true))).toBe('+12.0 pp (95 % CI +1.2 pp to +19.9 pp), p = 0.043');
    expect(upliftText(campaign('a', false))).toBe(NOT_ENOUGH_DATA);
    const text = resultsText(report);
    expect(text).toContain('40/200 20.0 %');
    expect(text).toContain('4/50 8.0 %');
    expect(text).toContain('not enough data');
  });
});
