// The dry run of a date (plan), "run now" (starts the state machine; a status endpoint reads it), and
// a finished run's result in the contract's run JSON. Rules in shared/usecases/{plan,runs}/.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { calendarDate } from '../../domain/documents.js';
import { PLAN_PAGE_DEFAULT, PLAN_PAGE_MAX } from '../../domain/limits.js';
import { planDayPage } from '../../usecases/plan/plan.js';
import { costEstimateSchema, planReportSchema, runResultSchema } from '../../usecases/plan/report.js';
import { runNow } from '../../usecases/runs/run-now.js';
import { runResultPage } from '../../usecases/runs/run-result.js';
import type { ApiDeps } from '../deps.js';
import {
  commonErrors,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  problemResponse,
  security,
} from './common.js';
import { idField, pathId, queryId } from './params.js';
import {
  decodeOffsetCursor,
  decodePlanCursor,
  encodeOffsetCursor,
  encodePlanCursor,
  listChanged,
  MAX_PLAN_CURSOR_CHARS,
  planChanged,
  runResultKey,
} from './plan-cursor.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

const runStatus = z.object({
  executionId: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']),
  output: z.unknown().optional(),
  error: z.string().optional(),
});

const tag = ['runs'];

const planPageSchema = planReportSchema
  .extend({
    /** What the run would cost at the settings' prices (docs/cost.md); not part of the CLI's plan document. */
    cost: costEstimateSchema.clone().openapi('PlanCostEstimate').optional(),
    nextCursor: z.string().optional(),
  })
  .openapi('PlanPage');
const runResultPageSchema = runResultSchema
  .extend({ nextCursor: z.string().optional() })
  .openapi('RunResultPage');
/** A page's query: at most PLAN_PAGE_MAX touches, PLAN_PAGE_DEFAULT unless told. */
const pageQuery = {
  cursor: z.string().min(1).max(MAX_PLAN_CURSOR_CHARS).optional(),
  limit: z.coerce.number().int().min(1).max(PLAN_PAGE_MAX).default(PLAN_PAGE_DEFAULT),
};

export function runRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plan',
      tags: tag,
      security,
      summary:
        "What a run for local date D would do (the contract plan JSON), a page of touches at a time; the summary is the whole day's on every page; writes nothing",
      request: {
        query: z.object({
          date: calendarDate.clone().openapi({ example: '2026-11-26' }),
          campaign: queryId().optional(),
          ...pageQuery,
        }),
      },
      responses: {
        200: jsonContent(planPageSchema, 'A page of the plan; nextCursor while touches remain'),
        ...commonErrors,
        ...notFoundResponse,
        409: problemResponse('The plan changed since the cursor was returned: page again from the start'),
      },
    }),
    async (c) => {
      const { date, campaign, cursor, limit } = c.req.valid('query');
      const query = { date, campaignId: campaign };
      const after = cursor === undefined ? undefined : decodePlanCursor(query, cursor);
      const result = await planDayPage(
        { store: deps.store },
        { ...query, offset: after?.offset ?? 0, limit },
      );
      if (!result.ok) throw notFound(`Campaign ${result.campaignId}`);
      if (after && after.fingerprint !== result.fingerprint) throw planChanged();
      const { nextOffset, fingerprint } = result;
      return c.json(
        {
          ...result.report,
          cost: result.cost,
          ...(nextOffset !== undefined && {
            nextCursor: encodePlanCursor(query, { offset: nextOffset, fingerprint }),
          }),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/runs',
      tags: tag,
      security,
      summary: 'Run now for local date D: starts the state machine and returns its execution id',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ date: calendarDate, campaignId: idField().optional() }),
            },
          },
        },
      },
      responses: {
        202: jsonContent(z.object({ executionId: z.string() }), 'Started'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const result = await runNow(
        { campaigns: deps.store.campaigns, starter: deps.runs },
        c.req.valid('json'),
      );
      if (!result.ok) throw notFound(`Campaign ${result.campaignId}`);
      return c.json({ executionId: result.executionId }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/runs/{executionId}',
      tags: tag,
      security,
      summary: 'The status of a run (and its output once done)',
      request: { params: z.object({ executionId: pathId('executionId') }) },
      responses: { 200: jsonContent(runStatus, 'The status'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { executionId } = c.req.valid('param');
      const status = await deps.runs.status(executionId);
      if (!status) throw notFound(`Execution ${executionId}`);
      return c.json({ executionId, ...status }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/run-results/{runId}',
      tags: tag,
      security,
      summary:
        "A run's touches with their outcomes and its summary (the contract's run JSON), a page of touches at a time; the summary is the whole run's on every page",
      request: { params: z.object({ runId: pathId('runId') }), query: z.object(pageQuery) },
      responses: {
        200: jsonContent(runResultPageSchema, 'A page of the result; nextCursor while touches remain'),
        ...commonErrors,
        ...notFoundResponse,
        409: problemResponse('The result changed since the cursor was returned: page again from the start'),
      },
    }),
    async (c) => {
      const { runId } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      const after = cursor === undefined ? undefined : decodeOffsetCursor(runResultKey(runId), cursor);
      const found = await runResultPage(deps.store, { runId, offset: after?.offset ?? 0, limit });
      if (!found) throw notFound(`Run ${runId}`);
      const { result, page } = found;
      if (after && after.fingerprint !== page.fingerprint) throw listChanged("run's result");
      return c.json(
        {
          ...result,
          ...(page.nextOffset !== undefined && {
            nextCursor: encodeOffsetCursor(runResultKey(runId), {
              offset: page.nextOffset,
              fingerprint: page.fingerprint,
            }),
          }),
        },
        200,
      );
    },
  );
  return app;
}
