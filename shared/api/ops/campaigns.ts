// Campaigns: create, list, get, new version (each kept, immutable), versions, validate, pause/resume.
// Each route parses, calls its use case (shared/usecases/campaigns/) and presents the result.
// Preview and test-send are in preview.ts; plan and runs in runs.ts.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { CampaignIssue } from '../../domain/campaign-checks.js';
import { campaignSchema } from '../../domain/documents.js';
import { applyCampaign } from '../../usecases/campaigns/apply.js';
import { listCampaigns } from '../../usecases/campaigns/list.js';
import { setCampaignPaused } from '../../usecases/campaigns/pause-resume.js';
import { campaignRecordSchema, validCampaignSchema } from '../../usecases/campaigns/schemas.js';
import { validateCampaignDocument } from '../../usecases/campaigns/validate.js';
import { campaignVersions, campaignVersionsSchema } from '../../usecases/campaigns/versions.js';
import type { ApiDeps } from '../deps.js';
import { zodErrors } from '../problem.js';
import {
  badRequest,
  badRequestFrom,
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
import { campaignIdParam } from './params.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

const recordSchema = campaignRecordSchema.clone().openapi('CampaignRecord');

const campaignBody = {
  required: true,
  content: { 'application/json': { schema: campaignSchema.clone().openapi('Campaign') } },
};

const toErrors = (issues: readonly CampaignIssue[]) =>
  issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

type CampaignStores = Parameters<typeof validateCampaignDocument>[0];

/**
 * When the body fails the schema, the answer still lists every problem the use case finds in it
 * (templates, variables, tiers of the parts that parsed), not only the schema's: 400 where a schema
 * error is a malformed request, 422 where it is the answer (validate).
 */
const refuseWithEverything =
  (stores: CampaignStores, status: 400 | 422) =>
  (
    result: { target: string } & ({ success: true } | { success: false; error: ZodError }),
    c: Context,
  ): undefined | Promise<never> => {
    if (result.success) return undefined;
    if (result.target !== 'json')
      throw badRequestFrom(result.error, 'The request does not match the schema.');
    const schemaError = result.error;
    return (async () => {
      // The validator has read the body already; hono keeps it, so no byte is read twice.
      const checked = await validateCampaignDocument(stores, await c.req.json());
      const errors = checked.ok ? zodErrors(schemaError) : toErrors(checked.issues);
      if (status === 400) throw badRequest('The request does not match the schema.', errors);
      throw unprocessable('The campaign does not match the schema.', errors);
    })();
  };

const tag = ['campaigns'];

export function campaignRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const stores = { campaigns: deps.store.campaigns, settings: deps.store.settings };

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
      const result = await applyCampaign(stores, { doc: c.req.valid('json'), mode: 'create' });
      if (result.ok) return c.json(result.record, 201);
      if (result.reason === 'invalid')
        throw unprocessable('The campaign does not pass its checks.', toErrors(result.issues));
      throw conflict(`Campaign ${result.id} exists; PUT /v1/campaigns/${result.id} adds a version.`);
    },
    refuseWithEverything(stores, 400),
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
    async (c) => c.json({ campaigns: await listCampaigns(stores) }, 200),
  );

  // Declared before /{id} routes so "validate" is never read as an id.
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns/validate',
      tags: tag,
      security,
      summary: 'Validate a campaign document (schema, templates, variables, tiers); stores nothing',
      request: { body: campaignBody },
      responses: {
        200: jsonContent(validCampaignSchema.clone(), 'Valid'),
        ...commonErrors,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const result = await validateCampaignDocument(stores, c.req.valid('json'), { compliance: true });
      if (!result.ok) throw unprocessable('The campaign does not pass its checks.', toErrors(result.issues));
      return c.json(
        { valid: true as const, id: result.campaign.id, steps: result.campaign.steps.length },
        200,
      );
    },
    refuseWithEverything(stores, 422),
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
    async (c) => {
      const { id } = c.req.valid('param');
      const record = await deps.store.campaigns.getCampaign(id);
      if (!record) throw notFound(`Campaign ${id}`);
      return c.json(record, 200);
    },
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
      const result = await applyCampaign(stores, { doc: c.req.valid('json'), mode: 'version', id });
      if (result.ok) return c.json(result.record, 200);
      if (result.reason === 'invalid')
        throw unprocessable('The campaign does not pass its checks.', toErrors(result.issues));
      if (result.reason === 'id-mismatch')
        throw unprocessable('The body names another campaign.', [{ path: 'id', message: `must be ${id}` }]);
      throw notFound(`Campaign ${id}`);
    },
    refuseWithEverything(stores, 400),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/campaigns/{id}/versions',
      tags: tag,
      security,
      summary: "A campaign's stored versions, newest first, and which is current (each: GET …/versions/{n})",
      request: { params: campaignIdParam },
      responses: {
        200: jsonContent(campaignVersionsSchema.clone().openapi('CampaignVersions'), 'The versions'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const versions = await campaignVersions(stores, id);
      if (!versions) throw notFound(`Campaign ${id}`);
      return c.json(versions, 200);
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
            // Versions are keyed with ten digits (shared/store/items.ts).
            .max(9_999_999_999)
            .openapi({ param: { name: 'n', in: 'path' }, example: 1 }),
        }),
      },
      responses: {
        200: jsonContent(
          z.object({ version: z.number().int(), campaign: campaignSchema.clone() }),
          'The version',
        ),
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
        const record = await setCampaignPaused(stores, { id, paused: action === 'pause' });
        if (!record) throw notFound(`Campaign ${id}`);
        return c.json(record, 200);
      },
    );
  }
  return app;
}
