// The ledger, a page at a time, and the settings document.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { settingsSchema } from '../../domain/documents.js';
import { type DeliveryPage, ForeignPositionError } from '../../ports/customer-data.js';
import { pageDeliveries } from '../../usecases/deliveries/list.js';
import { deliveryPageSchema } from '../../usecases/deliveries/schemas.js';
import { applySettings, showSettings } from '../../usecases/settings/settings.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, commonErrors, jsonContent, opsApp, security } from './common.js';
import { decodeCursor, encodeCursor, MAX_CURSOR_CHARS, notOurCursor } from './cursor.js';
import { queryId } from './params.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

const settingsDoc = settingsSchema.clone().openapi('Settings');

export function deliveryRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/deliveries',
      tags: ['deliveries'],
      security,
      summary: 'Ledger rows, a page at a time (by customer: touch key order; by campaign: due date order)',
      request: {
        query: z.object({
          campaign: queryId().optional(),
          customer: queryId().optional(),
          cursor: z.string().min(1).max(MAX_CURSOR_CHARS).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: jsonContent(deliveryPageSchema.clone().openapi('DeliveryPage'), 'A page'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const query = { campaignId: q.campaign, customerId: q.customer };
      const after = q.cursor === undefined ? undefined : decodeCursor(query, q.cursor);
      let page: DeliveryPage;
      try {
        page = await pageDeliveries(deps.store, {
          ...query,
          page: { limit: q.limit, ...(after && { after }) },
        });
      } catch (err) {
        if (err instanceof ForeignPositionError) throw notOurCursor(err.reason);
        throw err;
      }
      return c.json(
        {
          deliveries: page.deliveries,
          ...(page.after && { nextCursor: encodeCursor(query, page.after) }),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/settings',
      tags: ['settings'],
      security,
      summary: 'The settings (tiers, feb29, activity event types)',
      responses: { 200: jsonContent(settingsDoc, 'The settings'), ...commonErrors },
    }),
    async (c) => c.json(await showSettings(deps.store), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/settings',
      tags: ['settings'],
      security,
      summary: 'Replace the settings',
      request: { body: { required: true, content: { 'application/json': { schema: settingsDoc } } } },
      responses: { 200: jsonContent(settingsDoc, 'The settings now in force'), ...commonErrors },
    }),
    async (c) => {
      const result = await applySettings(deps.store, c.req.valid('json'));
      // The body passed the same schema, so this refusal is only the use case's own guard.
      if (!result.ok)
        throw badRequest(
          'The settings are invalid.',
          result.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      return c.json(result.settings, 200);
    },
  );
  return app;
}
