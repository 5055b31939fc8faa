// The ledger, a page at a time, and the settings document.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { settingsSchema } from '../../domain/documents.js';
import type { DeliveryPosition } from '../../ports/customer-data.js';
import { pageDeliveries } from '../../usecases/deliveries/list.js';
import { deliveryPageSchema } from '../../usecases/deliveries/schemas.js';
import { applySettings, showSettings } from '../../usecases/settings/settings.js';
import type { ApiDeps } from '../deps.js';
import { badRequest, commonErrors, jsonContent, opsApp, security } from './common.js';

// Domain schemas may be created before @hono/zod-openapi extends zod (the CLI imports the domain
// first); such instances lack .openapi(), so the API documents clones made after the extension.

const positionSchema = z.strictObject({
  campaignId: z.string().min(1).optional(),
  lastKey: z.record(z.string(), z.string()).optional(),
});

/** Opaque to clients: base64url of the position where the previous page stopped. */
export const encodeCursor = (p: DeliveryPosition): string =>
  Buffer.from(JSON.stringify(p)).toString('base64url');

export function decodeCursor(cursor: string): DeliveryPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('The cursor is not one this API returned.', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  }
  const parsed = positionSchema.safeParse(value);
  if (!parsed.success)
    throw badRequest('The cursor is not one this API returned.', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  const { campaignId, lastKey } = parsed.data;
  return { ...(campaignId !== undefined && { campaignId }), ...(lastKey !== undefined && { lastKey }) };
}

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
          campaign: z.string().min(1).optional(),
          customer: z.string().min(1).optional(),
          cursor: z.string().min(1).max(4096).optional(),
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
      const page = await pageDeliveries(deps.store, {
        campaignId: q.campaign,
        customerId: q.customer,
        page: { limit: q.limit, ...(q.cursor !== undefined && { after: decodeCursor(q.cursor) }) },
      });
      return c.json(
        { deliveries: page.deliveries, ...(page.after && { nextCursor: encodeCursor(page.after) }) },
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
