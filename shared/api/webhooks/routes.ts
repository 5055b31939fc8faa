// POST /webhooks/{partnerId}: a partner's customer event, signed the Standard Webhooks way. The
// route enforces the body limit, reads the raw bytes and the client's address, and holds this
// instance's partner cache and token buckets; what is accepted, in which order, is the use case's
// (shared/usecases/webhooks/accept-webhook.ts); the route maps its outcome to a status.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { eventSchema } from '../../domain/documents.js';
import { MAX_WEBHOOK_BODY_BYTES } from '../../domain/limits.js';
import { acceptWebhook } from '../../usecases/webhooks/accept-webhook.js';
import {
  DEFAULT_PARTNER_CACHE,
  PartnerCache,
  type PartnerCacheOptions,
} from '../../usecases/webhooks/partner-cache.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES, problem, validationProblem } from '../problem.js';
import { clientAddress } from './client-address.js';
import {
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_RATE_LIMIT,
  type FailureLimit,
  FailureLimiter,
  PartnerRateLimiter,
  type RateLimit,
} from './rate-limit.js';

export interface WebhookRouteOptions {
  rateLimit?: RateLimit;
  failureLimit?: FailureLimit;
  partnerCache?: PartnerCacheOptions;
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
  const rate = opts.rateLimit ?? deps.config.partnerRate ?? DEFAULT_RATE_LIMIT;
  const limiter = new PartnerRateLimiter(rate);
  const partnerThrottle = opts.rateLimit === undefined ? deps.partnerThrottle : undefined;
  // Never more than EventBridge takes in one entry (the event goes on the bus whole).
  const max = Math.min(deps.config.maxBodyBytes, MAX_WEBHOOK_BODY_BYTES);
  const failures = new FailureLimiter(opts.failureLimit ?? DEFAULT_FAILURE_LIMIT);
  const partners = new PartnerCache(deps.store.partners, opts.partnerCache ?? DEFAULT_PARTNER_CACHE);

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
      400: {
        description: 'The body is not an Event document, or holds what the store cannot keep',
        content: problemContent,
      },
      401: {
        description: 'Unknown partner, bad or missing signature, timestamp outside ±5 min',
        content: problemContent,
      },
      413: { description: 'Body too large', content: problemContent },
      415: { description: 'The body is not sent as application/json', content: problemContent },
      422: {
        description: 'The event names an unknown customer, or occurred after the moment of receipt',
        content: problemContent,
      },
      429: {
        description: "Throttled (the partner's rate, or too many failed verifications); see Retry-After",
        content: problemContent,
      },
    },
  });

  app.post(
    '/webhooks/:partnerId',
    bodyLimit({ maxSize: max, onError: (c) => tooLarge(c, max) }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength > max) return tooLarge(c, max);
      const client = clientAddress(c.env);
      const outcome = await acceptWebhook(
        {
          partners,
          receipts: deps.store.receipts,
          documents: deps.store.documents,
          events: deps.events,
          partnerActivity: deps.store.partnerActivity,
          clock: deps.clock,
          throttle: {
            partner: (partnerId, nowMs) =>
              partnerThrottle ? partnerThrottle.take(partnerId, nowMs) : limiter.take(partnerId, nowMs),
            withinFailureBudget: (nowMs) => failures.within(client, nowMs),
            failure: (nowMs) => failures.take(client, nowMs),
          },
          log: deps.log,
        },
        {
          partnerId: c.req.param('partnerId'),
          contentType: c.req.header('content-type'),
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
              detail:
                outcome.scope === 'failures'
                  ? `Too many requests failed verification; retry after ${outcome.retryAfterSeconds} s.`
                  : `Retry after ${outcome.retryAfterSeconds} s.`,
            },
            { 'retry-after': String(outcome.retryAfterSeconds) },
          );
        case 'unsupported-media-type':
          return problem(c, {
            type: PROBLEM_TYPES.unsupportedMedia,
            title: 'Unsupported media type',
            status: 415,
            detail: 'Send the event as application/json (UTF-8).',
          });
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
        case 'future-event':
          return problem(c, {
            type: PROBLEM_TYPES.validation,
            title: 'Event from the future',
            status: 422,
            detail: `occurredAt is later than the moment of receipt plus the signature tolerance (${outcome.latest}); nothing was stored.`,
            errors: [{ path: 'occurredAt', message: `must not be later than ${outcome.latest}` }],
          });
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
