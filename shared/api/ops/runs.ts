// The dry run of a date (plan) and "run now" (starts the state machine; a status endpoint reads it).

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { calendarDate, channel } from '../../domain/documents.js';
import { SUPPRESSION_REASONS } from '../../domain/touch.js';
import { planDayTouches, UnknownCampaignError } from '../../usecases/plan-day.js';
import { planReport } from '../../usecases/touch-report.js';
import type { ApiDeps } from '../deps.js';
import { requireCampaign } from './campaigns.js';
import { commonErrors, jsonContent, notFound, notFoundResponse, opsApp, security } from './common.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

const touchSchema = z.object({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel,
  occasion: z.string(),
  tier: z.string(),
  locale: z.string(),
  sendAt: z.string(),
  status: z.enum(['planned', 'suppressed']),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
});
const planSchema = z
  .object({
    date: z.string(),
    touches: z.array(touchSchema),
    summary: z.object({
      planned: z.number().int(),
      suppressed: z.number().int(),
      byReason: z.record(z.string(), z.number()),
    }),
  })
  .openapi('Plan');

const runStatus = z.object({
  executionId: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']),
  output: z.unknown().optional(),
  error: z.string().optional(),
});

const tag = ['runs'];

export function runRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plan',
      tags: tag,
      security,
      summary: 'What a run for local date D would do (the contract plan JSON); writes nothing',
      request: {
        query: z.object({
          date: calendarDate.clone().openapi({ example: '2026-11-26' }),
          campaign: z.string().min(1).optional(),
        }),
      },
      responses: { 200: jsonContent(planSchema, 'The plan'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { date, campaign } = c.req.valid('query');
      let planned: Awaited<ReturnType<typeof planDayTouches>>;
      try {
        planned = await planDayTouches(
          { store: deps.store },
          { date, ...(campaign !== undefined && { campaignId: campaign }) },
        );
      } catch (err) {
        if (err instanceof UnknownCampaignError) throw notFound(`Campaign ${err.campaignId}`);
        throw err;
      }
      return c.json(planReport(date, planned), 200);
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
              schema: z.strictObject({ date: calendarDate, campaignId: z.string().min(1).optional() }),
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
      const body = c.req.valid('json');
      if (body.campaignId !== undefined) await requireCampaign(deps, body.campaignId);
      const { executionId } = await deps.runs.start(body);
      return c.json({ executionId }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/runs/{executionId}',
      tags: tag,
      security,
      summary: 'The status of a run (and its output once done)',
      request: {
        params: z.object({
          executionId: z
            .string()
            .min(1)
            .max(2048)
            .openapi({ param: { name: 'executionId', in: 'path' } }),
        }),
      },
      responses: { 200: jsonContent(runStatus, 'The status'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { executionId } = c.req.valid('param');
      const status = await deps.runs.status(executionId);
      if (!status) throw notFound(`Execution ${executionId}`);
      return c.json({ executionId, ...status }, 200);
    },
  );
  return app;
}
