// Webhook partners: add (the secret is in this answer only), rotate (the previous secret stays valid
// for the rollover window, or not at all with `?now=true`), revoke (no secret valid), list (never a
// secret). The PartnerStore behind them is the table locally and Secrets Manager in the cloud.
// Rules in shared/usecases/partners/.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { partnerId } from '../../partners/secrets.js';
import { partnerActivity, partnerActivitySchema } from '../../usecases/partners/activity.js';
import { addPartner, listPartners, revokePartner, rotatePartner } from '../../usecases/partners/partners.js';
import {
  partnerAddedSchema,
  partnerListSchema,
  partnerRevokedSchema,
  partnerRotatedSchema,
} from '../../usecases/partners/schemas.js';
import type { ApiDeps } from '../deps.js';
import {
  commonErrors,
  conflict,
  conflictResponse,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  security,
} from './common.js';

const tags = ['partners'];
const idParam = z.object({
  id: partnerId.clone().openapi({ param: { name: 'id', in: 'path' }, example: 'acme' }),
});
const rotateQuery = z.object({
  now: z
    .enum(['true', 'false'])
    .optional()
    .openapi({
      param: { name: 'now', in: 'query' },
      description: 'true: the previous secrets stop being valid at once (a leaked secret)',
    }),
});

export function partnerRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const ports = { partners: deps.store.partners, clock: deps.clock };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/partners',
      tags,
      security,
      summary: 'Add a webhook partner; the answer carries its whsec_ secret, shown this once',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ id: partnerId }) } },
        },
      },
      responses: {
        201: jsonContent(partnerAddedSchema.clone().openapi('PartnerAdded'), 'Added'),
        ...commonErrors,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('json');
      const result = await addPartner(ports, id);
      if (!result.ok)
        throw conflict(`Partner ${id} exists; POST /v1/partners/${id}/rotate makes a new secret.`);
      return c.json(result.value, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/partners/{id}/rotate',
      tags,
      security,
      summary:
        'A new secret for a partner (shown once); the previous one stays valid for the rollover window, or with now=true not at all',
      request: { params: idParam, query: rotateQuery },
      responses: {
        200: jsonContent(partnerRotatedSchema.clone().openapi('PartnerRotated'), 'Rotated'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { now } = c.req.valid('query');
      const result = await rotatePartner({ ...ports, rolloverMs: deps.config.secretRolloverMs }, id, {
        now: now === 'true',
      });
      if (!result.ok) throw notFound(`Partner ${id}`);
      return c.json(result.value, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/partners/{id}/revoke',
      tags,
      security,
      summary:
        'Every secret of a partner invalid at once (a leaked secret); the partner stays, and rotate gives it a new one',
      request: { params: idParam },
      responses: {
        200: jsonContent(partnerRevokedSchema.clone().openapi('PartnerRevoked'), 'Revoked'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const result = await revokePartner(ports, id);
      if (!result.ok) throw notFound(`Partner ${id}`);
      deps.log.info('partner secrets revoked', { partnerId: id });
      return c.json(result.value, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/partners',
      tags,
      security,
      summary: 'The partners, with how many secrets each has valid now (never a secret)',
      responses: {
        200: jsonContent(partnerListSchema.clone().openapi('PartnerList'), 'The partners'),
        ...commonErrors,
      },
    }),
    async (c) => c.json({ partners: await listPartners(ports) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/partners/{id}/activity',
      tags,
      security,
      summary:
        "The partner's latest events (at most 50, newest first) and its refused webhooks per hour and reason over 7 days",
      request: { params: idParam },
      responses: {
        200: jsonContent(partnerActivitySchema.clone().openapi('PartnerActivity'), 'The activity'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const activity = await partnerActivity(
        { partners: deps.store.partners, activity: deps.store.partnerActivity, clock: deps.clock },
        id,
      );
      if (!activity) throw notFound(`Partner ${id}`);
      return c.json(activity, 200);
    },
  );
  return app;
}
