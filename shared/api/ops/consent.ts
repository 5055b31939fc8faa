// A customer's consent through the API: current consent and history, and a change an operator
// records (source `api`, e.g. a consent given on the phone, with its evidence). docs/consent.md.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { boundedId, MAX_CONSENT_EVIDENCE_CHARS } from '../../domain/limits.js';
import { recordConsentChange } from '../../usecases/consent/record.js';
import { consentEntrySchema } from '../../usecases/customers/schemas.js';
import type { ApiDeps } from '../deps.js';
import { commonErrors, jsonContent, notFound, notFoundResponse, opsApp, security } from './common.js';
import { idParam } from './params.js';

const consentViewSchema = z
  .object({
    consent: z.object({ email: z.boolean(), sms: z.boolean(), topics: z.record(z.string(), z.boolean()) }),
    consentHistory: z.array(consentEntrySchema.clone()),
  })
  .openapi('CustomerConsent');

const consentChangeBody = z
  .strictObject({
    channel: z.enum(['email', 'sms']),
    topic: boundedId().optional(),
    value: z.boolean(),
    evidence: z.string().max(MAX_CONSENT_EVIDENCE_CHARS).optional(),
  })
  .openapi('ConsentChange');

const outcomeSchema = z.object({ outcome: z.enum(['applied', 'unchanged']) }).openapi('ConsentOutcome');

export function consentRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const tags = ['customers'];

  async function view(id: string) {
    const customer = await deps.store.customers.getCustomer(id);
    if (!customer) throw notFound(`Customer ${id}`);
    const { email, sms, topics } = customer.consent;
    return {
      consent: { email, sms, topics: { ...(topics ?? {}) } },
      consentHistory: await deps.store.consent.consentHistory(id),
    };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/consent',
      tags,
      security,
      summary:
        "A customer's current consent (channels, topics) and every change with its source and evidence",
      request: { params: idParam },
      responses: { 200: jsonContent(consentViewSchema, 'Consent'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => c.json(await view(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/consent',
      tags,
      security,
      summary: 'Record a consent change (source `api`); the same change again is `unchanged`',
      request: {
        params: idParam,
        body: { required: true, content: { 'application/json': { schema: consentChangeBody } } },
      },
      responses: { 200: jsonContent(outcomeSchema, 'Recorded'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const outcome = await recordConsentChange(deps, {
        customerId: id,
        channel: body.channel,
        ...(body.topic !== undefined && { topic: body.topic }),
        value: body.value,
        source: 'api',
        at: deps.clock.now().toISOString(),
        ...(body.evidence !== undefined && { evidence: body.evidence }),
      });
      if (outcome === 'no-customer') throw notFound(`Customer ${id}`);
      return c.json({ outcome }, 200);
    },
  );
  return app;
}
