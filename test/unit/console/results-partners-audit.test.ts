// The console's Results, Partners and Audit logic (pure, no browser): the funnel's stages, the
// cumulative conversion series treated vs holdout and the chart's geometry, the uplift interval's
// scale and reading, the partner id rule kept in step with the server's, and the audit page query.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditPath } from '../../../console/src/pages/audit/schemas.js';
import { PARTNER_ID } from '../../../console/src/pages/partners/schemas.js';
import { type CampaignReport, detailSchema } from '../../../console/src/pages/results/schemas.js';
import {
  barShare,
  type ChartBox,
  cumulativeSeries,
  funnelStages,
  intervalScale,
  linePoints,
  rateAxisMax,
  readInterval,
} from '../../../console/src/pages/results/series.js';
import { groupResult } from '../../../shared/domain/uplift.js';
import { partnerId } from '../../../shared/partners/secrets.js';

const report: CampaignReport = {
  campaignId: 'fibre-renewal',
  goal: { type: 'contractRenewed', withinDays: 30 },
  funnel: {
    planned: 120,
    suppressed: { holdout: 64 },
    sent: 56,
    delivered: 55,
    bounced: 1,
    complained: 0,
    opened: 30,
    clicked: 12,
    unsubscribed: 0,
  },
  treated: { customers: 56, conversions: 31, rate: 31 / 56 },
  holdout: { customers: 64, conversions: 20, rate: 20 / 64 },
  uplift: { value: 0.241, low: 0.064, high: 0.399, pValue: 0.008 },
  cost: { currency: 'USD', total: 0.0056, perConversion: 0.0002 },
};

const day = (d: string, counts: Record<string, number>) => ({ day: d, counts });

describe('results: the funnel', () => {
  it('runs planned → sent → delivered → opened → clicked → converted, converted being the treated conversions', () => {
    expect(funnelStages(report)).toEqual([
      { stage: 'planned', value: 120 },
      { stage: 'sent', value: 56 },
      { stage: 'delivered', value: 55 },
      { stage: 'opened', value: 30 },
      { stage: 'clicked', value: 12 },
      { stage: 'converted', value: 31 },
    ]);
  });

  it('draws each bar as a share of the largest stage, and nothing when every stage is 0', () => {
    expect(barShare(30, [120, 56, 30])).toBe(0.25);
    expect(barShare(0, [0, 0])).toBe(0);
  });
});

describe('results: conversions over time', () => {
  const days = [
    day('2026-12-11', {
      'treated.customers': 4,
      'treated.conversions': 1,
      'holdout.customers': 0,
      planned: 4,
    }),
    day('2026-12-10', { 'treated.customers': 2, 'holdout.customers': 3, 'holdout.conversions': 1 }),
    day('2026-12-12', { 'treated.conversions': 2, 'holdout.customers': 1 }),
  ];

  it('accumulates each group by due day, in day order, with no rate before a group has a customer', () => {
    const series = cumulativeSeries([day('2026-12-09', { 'treated.customers': 1 }), ...days]);
    expect(series.map((p) => p.day)).toEqual(['2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12']);
    expect(series[0]).toMatchObject({ treatedRate: 0, holdoutRate: null, holdoutCustomers: 0 });
    expect(series[1]).toMatchObject({ treatedCustomers: 3, holdoutCustomers: 3, holdoutConversions: 1 });
    expect(series[3]).toMatchObject({
      treatedCustomers: 7,
      treatedConversions: 3,
      holdoutCustomers: 4,
      holdoutConversions: 1,
    });
    expect(series[3]?.treatedRate).toBeCloseTo(3 / 7);
    expect(series[3]?.holdoutRate).toBeCloseTo(1 / 4);
  });

  it("ends at the report's own rates (the server's groupResult over the summed counters)", () => {
    const last = cumulativeSeries(days).at(-1);
    const sum = (name: string) => days.reduce((n, d) => n + (d.counts[name] ?? 0), 0);
    const treated = groupResult({
      customers: sum('treated.customers'),
      conversions: sum('treated.conversions'),
    });
    const holdout = groupResult({
      customers: sum('holdout.customers'),
      conversions: sum('holdout.conversions'),
    });
    expect(last?.treatedRate).toBe(treated.rate);
    expect(last?.holdoutRate).toBe(holdout.rate);
  });

  it('reads the detail answer the API gives (extra fields pass, a missing campaign does not)', () => {
    const detail = {
      from: '2026-12-10',
      to: '2026-12-12',
      campaign: report,
      days,
      breakdown: [],
    };
    expect(detailSchema.safeParse(detail).success).toBe(true);
    expect(detailSchema.safeParse({ ...detail, campaign: undefined }).success).toBe(false);
  });

  it('puts the rate axis on the next 10 % above the largest rate, never below 10 %', () => {
    const at = (t: number, h: number) => [
      {
        day: 'd',
        treatedCustomers: 1,
        treatedConversions: 0,
        holdoutCustomers: 1,
        holdoutConversions: 0,
        treatedRate: t,
        holdoutRate: h,
      },
    ];
    expect(rateAxisMax(at(0.554, 0.31))).toBeCloseTo(0.6);
    expect(rateAxisMax(at(0.3, 0.1))).toBeCloseTo(0.3);
    expect(rateAxisMax(at(0, 0))).toBeCloseTo(0.1);
    expect(rateAxisMax([])).toBeCloseTo(0.1);
  });

  it('maps the first day to the left edge, the last to the right, 0 to the bottom, the top to yMax, skipping gaps', () => {
    const box: ChartBox = { width: 200, height: 120, left: 40, right: 10, top: 10, bottom: 10 };
    const series = cumulativeSeries(days);
    // treated: 0/2, 1/6, 3/6 over 12-10, 12-11, 12-12 (sorted); the plot is 150 × 100 from (40, 10).
    expect(linePoints(series, (p) => p.treatedRate, box, 1)).toBe('40,110 115,93.3 190,60');
    expect(linePoints(series, () => null, box, 1)).toBe('');
    expect(linePoints(series.slice(0, 1), () => 1, box, 1)).toBe('115,10');
    // x is the date: a day without counters leaves its gap (12-10, 12-11, then 12-16: 1/6 of the way).
    const gap = cumulativeSeries([...days.slice(0, 2), day('2026-12-16', { 'treated.conversions': 2 })]);
    expect(linePoints(gap, (p) => p.treatedRate, box, 1)).toBe('40,110 65,93.3 190,60');
  });
});

describe('results: the uplift interval', () => {
  it('scales symmetrically around 0 to a round end that holds the interval', () => {
    const s = intervalScale({ value: 0.241, low: 0.064, high: 0.399 });
    expect(s.span).toBeCloseTo(0.4);
    expect(s.at(0)).toBeCloseTo(0.5);
    expect(s.at(0.4)).toBeCloseTo(1);
    expect(s.at(-2)).toBe(0);
    expect(intervalScale({ value: 0.01, low: -0.02, high: 0.03 }).span).toBeCloseTo(0.1);
    expect(intervalScale({ value: 0.9, low: 0.8, high: 0.99 }).span).toBe(1);
  });

  it('says whether the interval is above, across or below 0', () => {
    expect(readInterval({ low: 0.064, high: 0.399 })).toBe('above');
    expect(readInterval({ low: -0.03, high: 0.15 })).toBe('spans');
    expect(readInterval({ low: 0, high: 0.15 })).toBe('spans');
    expect(readInterval({ low: -0.2, high: -0.01 })).toBe('below');
  });
});

describe('partners: the id rule', () => {
  it("accepts exactly the ids the server's partnerId accepts", () => {
    const ids = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.stringMatching(/^[A-Za-z0-9._-]{0,70}$/),
      fc.constantFrom('acme', 'a', '-acme', 'a'.repeat(64), 'a'.repeat(65), 'acme crm', 'ACME.crm_2-x'),
    );
    fc.assert(
      fc.property(ids, (id) => {
        expect(PARTNER_ID.test(id)).toBe(partnerId.safeParse(id).success);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('audit: the page query', () => {
  it('asks for 50 entries, and the next page with the cursor as given (encoded)', () => {
    expect(auditPath()).toBe('/audit?limit=50');
    const next = new URL(`http://x${auditPath('eyJtIjoiMjAyNi0xMiJ9+/=&x')}`);
    expect(next.pathname).toBe('/audit');
    expect(next.searchParams.get('limit')).toBe('50');
    expect(next.searchParams.get('cursor')).toBe('eyJtIjoiMjAyNi0xMiJ9+/=&x');
  });
});
