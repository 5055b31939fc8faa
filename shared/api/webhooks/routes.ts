// POST /webhooks/{partnerId}: a partner's customer event, signed the Standard Webhooks way. The
// route enforces the body limit and reads the raw bytes; what is accepted, in which order, is the
// use case's (shared/usecases/webhooks/accept-webhook.ts); the route maps its outcome to a status.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { eventSchema } from '../../domain/documents.js';
import { acceptWebhook } from '../../usecases/webhooks/accept-webhook.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES, problem, validationProblem } from '../problem.js';
import { DEFAULT_RATE_LIMIT, PartnerRateLimiter, type RateLimit } from './rate-limit.js';

export interface WebhookRouteOptions {
  rateLimit?: RateLimit;
  toleranceMs?: number;
}

const accepted = z.object({
  status: z.literal('accepted'),
  eventId: z.string().optional(),
  duplicate: z.boolean(),
});
type Accepted = z.infer<typeof accepted>;

const problemContent = {
  'application/problem+json': {
    schema: z.object({
      type: z.string(),
      title: z.string(),
      status: z.number(),
      detail: z.string().optional(),
    }),
  },
};

const unauthorized = (c: Context, detail: string): Response =>
  problem(c, { type: PROBLEM_TYPES.unauthorized, title: 'Unauthorized', status: 401, detail });

const tooLarge = (c: Context, max: number): Response =>
  problem(c, {
    type: PROBLEM_TYPES.tooLarge,
    title: 'Payload too large',
    status: 413,
    detail: `The body may be at most ${max} bytes.`,
  });

export function webhookRoutes(deps: ApiDeps, opts: WebhookRouteOptions = {}): OpenAPIHono {
  const app = new OpenAPIHono();
  const limiter = new PartnerRateLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT);
  const max = deps.config.maxBodyBytes;

  // Documented, not validated by the framework: the body must stay raw until the signature is checked.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/webhooks/{partnerId}',
    summary: 'A partner customer event (Standard Webhooks signed)',
    request: {
      params: z.object({ partnerId: z.string() }),
      headers: z.object({
        'webhook-id': z.string(),
        'webhook-timestamp': z.string(),
        'webhook-signature': z.string(),
      }),
      body: { content: { 'application/json': { schema: eventSchema } }, required: true },
    },
    responses: {
      202: {
        description: 'Accepted (also for a replayed webhook-id)',
        content: { 'application/json': { schema: accepted } },
      },
      400: { description: 'The body is not an Event document', content: problemContent },
      401: {
        description: 'Unknown partner, bad or missing signature, timestamp outside ±5 min',
        content: problemContent,
      },
      413: { description: 'Body too large', content: problemContent },
      422: { description: 'The event names an unknown customer', content: problemContent },
      429: { description: 'Throttled; see Retry-After', content: problemContent },
    },
  });

  app.post(
    '/webhooks/:partnerId',
    bodyLimit({ maxSize: max, onError: (c) => tooLarge(c, max) }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength > max) return tooLarge(c, max);
      const outcome = await acceptWebhook(
        {
          partners: deps.store.partners,
          receipts: deps.store.receipts,
          documents: deps.store.documents,
          events: deps.events,
          clock: deps.clock,
          admit: (partnerId, nowMs) => limiter.take(partnerId, nowMs),
          log: deps.log,
        },
        {
          partnerId: c.req.param('partnerId'),
          headers: {
            id: c.req.header('webhook-id'),
            timestamp: c.req.header('webhook-timestamp'),
            signature: c.req.header('webhook-signature'),
          },
          // Decoded as the standardwebhooks library does (Buffer#toString), so signatures agree.
          payload: Buffer.from(bytes).toString('utf8'),
          ...(opts.toleranceMs !== undefined && { toleranceMs: opts.toleranceMs }),
        },
      );
      if (outcome.ok) {
        const body: Accepted = {
          status: 'accepted',
          ...(outcome.eventId !== undefined && { eventId: outcome.eventId }),
          duplicate: outcome.duplicate,
        };
        return c.json(body, 202);
      }
      switch (outcome.reason) {
        case 'unauthorized':
          return unauthorized(c, outcome.detail);
        case 'throttled':
          return problem(
            c,
            {
              type: PROBLEM_TYPES.throttled,
              title: 'Too many requests',
              status: 429,
              detail: `Retry after ${outcome.retryAfterSeconds} s.`,
            },
            { 'retry-after': String(outcome.retryAfterSeconds) },
          );
        case 'not-json':
          return problem(c, {
            type: PROBLEM_TYPES.validation,
            title: 'Invalid request',
            status: 400,
            detail: 'The body is not JSON.',
            errors: [],
          });
        case 'invalid-event':
          return validationProblem(c, outcome.error, 'The body is not an Event document.');
        case 'unknown-customer':
          return problem(c, {
            type: PROBLEM_TYPES.validation,
            title: 'Unknown customer',
            status: 422,
            detail: `No customer with id ${outcome.customerId}; nothing was stored.`,
            errors: [{ path: 'customerId', message: 'unknown customer' }],
          });
      }
    },
  );

  return app;
}
