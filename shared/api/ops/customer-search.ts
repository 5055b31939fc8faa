// The console's customer search: GET /v1/customers?q= (shared/usecases/customers/search.ts).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { MAX_EMAIL_CHARS, UNSAFE_TEXT } from '../../domain/limits.js';
import {
  customerSearchSchema,
  SEARCH_MAX_RESULTS,
  searchCustomers,
} from '../../usecases/customers/search.js';
import type { ApiDeps } from '../deps.js';
import { commonErrors, jsonContent, opsApp, security } from './common.js';

const q = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_EMAIL_CHARS, `must be at most ${MAX_EMAIL_CHARS} characters`)
  .refine((s) => !UNSAFE_TEXT.test(s), 'must not contain control or bidirectional-override characters')
  .openapi({
    description: 'A customer id, an email address, or a phone number in international format (+…)',
    example: 'ada@example.com',
  });

export function customerSearchRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers',
      tags: ['customers'],
      security,
      summary: `Find customers by id, email or phone (at most ${SEARCH_MAX_RESULTS}); never a scan`,
      request: { query: z.object({ q }) },
      responses: {
        200: jsonContent(customerSearchSchema.clone().openapi('CustomerSearch'), 'The customers found'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const result = await searchCustomers(
        { customers: deps.store.customers, settings: deps.store.settings },
        c.req.valid('query').q,
      );
      return c.json(result, 200);
    },
  );
  return app;
}
