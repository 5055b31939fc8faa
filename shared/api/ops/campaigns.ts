// Campaigns: create, list, get, new version (each kept, immutable), versions, validate, pause/resume.
// Preview and test-send are in preview.ts; plan and runs in runs.ts.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { checkCampaign } from '../../domain/campaign-checks.js';
import { type Campaign, campaignSchema } from '../../domain/documents.js';
import type { CampaignRecord } from '../../domain/touch.js';
import type { ApiDeps } from '../deps.js';
import { zodErrors } from '../problem.js';
import {
  commonErrors,
  conflict,
  conflictResponse,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  security,
  unprocessable,
  unprocessableResponse,
} from './common.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

export const campaignIdParam = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'contract-renewal' }),
});

const recordSchema = z
  .object({ campaign: campaignSchema, version: z.number().int(), paused: z.boolean(), updatedAt: z.string() })
  .openapi('CampaignRecord');
const validResult = z.object({ valid: z.literal(true), id: z.string() });

const campaignBody = {
  required: true,
  content: { 'application/json': { schema: campaignSchema.clone().openapi('Campaign') } },
};

/** The checks `campaign validate` makes beyond the schema (templates, variables, SMS length). */
function checked(campaign: Campaign): Campaign {
  const issues = checkCampaign(campaign);
  if (issues.length > 0)
    throw unprocessable(
      'The campaign does not pass its checks.',
      issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return campaign;
}

export async function requireCampaign(deps: ApiDeps, id: string): Promise<CampaignRecord> {
  const record = await deps.store.campaigns.getCampaign(id);
  if (!record) throw notFound(`Campaign ${id}`);
  return record;
}

const tag = ['campaigns'];

export function campaignRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns',
      tags: tag,
      security,
      summary: 'Create a campaign (its version 1)',
      request: { body: campaignBody },
      responses: {
        201: jsonContent(recordSchema, 'Created'),
        ...commonErrors,
        ...conflictResponse,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const campaign = checked(c.req.valid('json'));
      if (await deps.store.campaigns.getCampaign(campaign.id))
        throw conflict(`Campaign ${campaign.id} exists; PUT /v1/campaigns/${campaign.id} adds a version.`);
      return c.json(await deps.store.campaigns.putCampaign(campaign), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/campaigns',
      tags: tag,
      security,
      summary: 'List campaigns (current versions), by priority then id',
      responses: {
        200: jsonContent(z.object({ campaigns: z.array(recordSchema) }), 'The campaigns'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const records = await deps.store.campaigns.listCampaigns();
      records.sort(
        (a, b) => b.campaign.priority - a.campaign.priority || a.campaign.id.localeCompare(b.campaign.id),
      );
      return c.json({ campaigns: records }, 200);
    },
  );

  // Declared before /{id} routes so "validate" is never read as an id.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns/validate',
      tags: tag,
      security,
      summary: 'Validate a campaign document (schema and checks); stores nothing',
      request: { body: campaignBody },
      responses: { 200: jsonContent(validResult, 'Valid'), ...commonErrors, ...unprocessableResponse },
    }),
    (c) => c.json({ valid: true as const, id: checked(c.req.valid('json')).id }, 200),
    // Here a schema failure is the answer, not a malformed request: 422 like the checks.
    (result) => {
      if (!result.success)
        throw unprocessable('The campaign does not match the schema.', zodErrors(result.error));
      return undefined;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/campaigns/{id}',
      tags: tag,
      security,
      summary: 'The current version of a campaign',
      request: { params: campaignIdParam },
      responses: { 200: jsonContent(recordSchema, 'The campaign'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => c.json(await requireCampaign(deps, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/campaigns/{id}',
      tags: tag,
      security,
      summary: 'Store a new immutable version of a campaign and make it current',
      request: { params: campaignIdParam, body: campaignBody },
      responses: {
        200: jsonContent(recordSchema, 'The new version'),
        ...commonErrors,
        ...notFoundResponse,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const campaign = c.req.valid('json');
      if (campaign.id !== id)
        throw unprocessable('The body names another campaign.', [{ path: 'id', message: `must be ${id}` }]);
      checked(campaign);
      await requireCampaign(deps, id);
      return c.json(await deps.store.campaigns.putCampaign(campaign), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/campaigns/{id}/versions/{n}',
      tags: tag,
      security,
      summary: 'One stored version of a campaign',
      request: {
        params: campaignIdParam.extend({
          n: z.coerce
            .number()
            .int()
            .min(1)
            .openapi({ param: { name: 'n', in: 'path' }, example: 1 }),
        }),
      },
      responses: {
        200: jsonContent(z.object({ version: z.number().int(), campaign: campaignSchema }), 'The version'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id, n } = c.req.valid('param');
      const campaign = await deps.store.campaigns.getCampaignVersion(id, n);
      if (!campaign) throw notFound(`Version ${n} of campaign ${id}`);
      return c.json({ version: n, campaign }, 200);
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/campaigns/{id}/${action}`,
        tags: tag,
        security,
        summary:
          action === 'pause'
            ? 'Pause a campaign (its touches are suppressed as paused)'
            : 'Resume a campaign',
        request: { params: campaignIdParam },
        responses: { 200: jsonContent(recordSchema, 'The campaign'), ...commonErrors, ...notFoundResponse },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        if (!(await deps.store.campaigns.setPaused(id, action === 'pause'))) throw notFound(`Campaign ${id}`);
        return c.json(await requireCampaign(deps, id), 200);
      },
    );
  }
  return app;
}
