// The results reports (CONTRACT.md "Results", docs/results.md): the contract's report for every
// campaign or one, and one campaign in detail (by day and by step × channel × tier × locale).
// Both read the aggregate counters only, never the ledger.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { calendarDate } from '../../domain/documents.js';
import {
  buildCampaignDetail,
  buildReport,
  ReportRangeError,
  UnknownCampaignError,
} from '../../usecases/results/report.js';
import { campaignDetailSchema, resultsReportSchema } from '../../usecases/results/schemas.js';
import type { ApiDeps } from '../deps.js';
import {
  badRequest,
  commonErrors,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  security,
} from './common.js';
import { campaignIdParam, queryId } from './params.js';

const range = {
  from: calendarDate.clone().optional().openapi({
    description: 'First due day (YYYY-MM-DD); default: the first day with data',
    example: '2026-11-26',
  }),
  to: calendarDate.clone().optional().openapi({
    description: 'Last due day, inclusive; default: the last day with data',
    example: '2026-12-31',
  }),
};

/** The use case's typed refusals as problems: an unknown campaign 404, a reversed range 400. */
async function answering<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UnknownCampaignError) throw notFound(`Campaign ${err.campaignId}`);
    if (err instanceof ReportRangeError)
      throw badRequest(err.message, [{ path: 'from', message: `must not be after to (${err.to})` }]);
    throw err;
  }
}

export function reportRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const reportDeps = {
    results: deps.store.results,
    campaigns: deps.store.campaigns,
    settings: deps.store.settings,
    clock: deps.clock,
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/campaigns',
      tags: ['reports'],
      security,
      summary:
        'Results per campaign: funnel, treated vs holdout conversions, uplift with its 95 % interval, cost (from the aggregate counters)',
      request: { query: z.object({ campaign: queryId().optional(), ...range }) },
      responses: {
        200: jsonContent(resultsReportSchema.clone().openapi('ResultsReport'), 'The report'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const report = await answering(() =>
        buildReport(reportDeps, { campaignId: q.campaign, from: q.from, to: q.to }),
      );
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/campaigns/{id}',
      tags: ['reports'],
      security,
      summary: "One campaign's results, with its counters by day and by step × channel × tier × locale",
      request: { params: campaignIdParam, query: z.object(range) },
      responses: {
        200: jsonContent(campaignDetailSchema.clone().openapi('CampaignResults'), 'The campaign in detail'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const detail = await answering(() =>
        buildCampaignDetail(reportDeps, { campaignId: id, from: q.from, to: q.to }),
      );
      return c.json(detail, 200);
    },
  );
  return app;
}
