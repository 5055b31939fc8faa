// Releasing one ledger key after a crash: the operator found in the provider's logs that an
// `unknown` touch was not sent. The rule lives in shared/usecases/deliveries/release.ts.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { releaseDelivery, releaseRefusal, releaseRequestSchema } from '../../usecases/deliveries/release.js';
import { deliveryReleasedSchema } from '../../usecases/deliveries/schemas.js';
import type { ApiDeps } from '../deps.js';
import {
  commonErrors,
  conflict,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  problemSchema,
  security,
} from './common.js';

export function deliveryReleaseRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/deliveries/release',
      tags: ['deliveries'],
      security,
      summary:
        "Release an `unknown` touch's key once the provider's logs show it was not sent: a later run may send it",
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: releaseRequestSchema.clone().openapi('TouchKey') } },
        },
      },
      responses: {
        200: jsonContent(deliveryReleasedSchema.clone().openapi('DeliveryReleased'), 'Released'),
        ...commonErrors,
        ...notFoundResponse,
        409: {
          description: 'The touch was sent, is still in flight, or is not held (problem JSON)',
          content: { 'application/problem+json': { schema: problemSchema } },
        },
      },
    }),
    async (c) => {
      const result = await releaseDelivery(
        { ledger: deps.store.ledger, clock: deps.clock },
        c.req.valid('json'),
      );
      if (result.released) return c.json({ released: true as const, delivery: result.delivery }, 200);
      if (result.reason === 'not-found') throw notFound('The ledger row for this touch');
      throw conflict(releaseRefusal(result));
    },
  );
  return app;
}
