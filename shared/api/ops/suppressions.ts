// The manual suppression list: add, remove, list. Addresses are normalized (and refused when they
// are not an email address or an E.164 phone) by the use case, shared/usecases/suppression/.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { suppressionReason } from '../../domain/documents.js';
import {
  suppressionAddedSchema,
  suppressionListSchema,
  suppressionRemovedSchema,
} from '../../usecases/suppression/schemas.js';
import {
  addSuppression,
  listSuppressions,
  removeSuppression,
} from '../../usecases/suppression/suppression.js';
import type { ApiDeps } from '../deps.js';
import {
  commonErrors,
  jsonContent,
  opsApp,
  security,
  unprocessable,
  unprocessableResponse,
} from './common.js';
import { addressField } from './params.js';

const tags = ['suppression'];
const invalidAddress = (message: string) => unprocessable(message, [{ path: 'address', message }]);

export function suppressionRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const ports = { suppression: deps.store.suppression, clock: deps.clock };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/suppressions',
      tags,
      security,
      summary: 'Put an address on the suppression list (it is normalized first)',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                address: addressField(),
                reason: suppressionReason.clone(),
              }),
            },
          },
        },
      },
      responses: {
        200: jsonContent(suppressionAddedSchema.clone().openapi('Suppression'), 'Suppressed'),
        ...commonErrors,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const result = await addSuppression(ports, c.req.valid('json'));
      if (!result.ok) throw invalidAddress(result.message);
      return c.json(result.value, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/suppressions/{address}',
      tags,
      security,
      summary: 'Take an address off the suppression list (URL-encode it)',
      request: {
        params: z.object({
          address: addressField().openapi({ param: { name: 'address', in: 'path' } }),
        }),
      },
      responses: {
        200: jsonContent(suppressionRemovedSchema.clone(), 'Whether it was on the list'),
        ...commonErrors,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const result = await removeSuppression(ports, c.req.valid('param'));
      if (!result.ok) throw invalidAddress(result.message);
      return c.json(result.value, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/suppressions',
      tags,
      security,
      summary: 'The suppression list',
      responses: { 200: jsonContent(suppressionListSchema.clone(), 'The list'), ...commonErrors },
    }),
    async (c) => c.json({ suppressions: await listSuppressions(ports) }, 200),
  );
  return app;
}
