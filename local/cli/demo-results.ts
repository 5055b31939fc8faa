// The results that end `npm start`: the funnel and the treated-vs-holdout table with the uplift and
// its 95 % interval (or "not enough data"), read by the same use case and printed by the same
// presenter as `touchpoint report` (GET /v1/reports/campaigns, results-present.ts).
import type { ResultsReport } from '../../shared/usecases/results/schemas.js';
import { resultsText } from './results-present.js';

/** The report's campaigns that planned or counted something over the period: the rest are empty rows. */
export function activeCampaigns(report: ResultsReport): ResultsReport {
  return {
    ...report,
    campaigns: report.campaigns.filter(
      (c) => c.funnel.planned > 0 || c.treated.customers + c.holdout.customers > 0,
    ),
  };
}

/** The demo's results as lines to print: the report `touchpoint report` prints, active campaigns only. */
export const resultsLines = (report: ResultsReport): string[] =>
  resultsText(activeCampaigns(report)).split('\n');
