// POST /webhooks/{partnerId}: a partner's customer event, signed the Standard Webhooks way.
// Order matters: the cheap refusals first (size, unknown partner, throttle), then the signature over
// the raw bytes (nothing is parsed before it is authentic), the replay guard, the body schema, the
// customer check, and only then the effect: one CustomerEvent on the bus. The webhook-id receipt
// is written after the event was accepted, so a failed attempt can be retried with the same id.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EVENT_NAMES } from '../../../infra/constructs/function-env.js';
import { eventSchema } from '../../domain/documents.js';
import { partnerId as partnerIdSchema, validSecrets } from '../../partners/secrets.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES, problem, validationProblem } from '../problem.js';
import { DEFAULT_RATE_LIMIT, PartnerRateLimiter, type RateLimit } from './rate-limit.js';
import { TIMESTAMP_TOLERANCE_MS, verifyWebhook } from './signature.js';

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
      const id = partnerIdSchema.safeParse(c.req.param('partnerId'));
      const partner = id.success ? await deps.store.partners.getPartner(id.data) : undefined;
      // The same answer for an unknown partner as for a bad signature: ids are not to be probed.
      if (!partner) return unauthorized(c, 'Unknown partner or invalid signature.');

      const now = deps.clock.now();
      const admission = limiter.take(partner.id, now.getTime());
      if (!admission.ok) {
        return problem(
          c,
          {
            type: PROBLEM_TYPES.throttled,
            title: 'Too many requests',
            status: 429,
            detail: `Retry after ${admission.retryAfterSeconds} s.`,
          },
          { 'retry-after': String(admission.retryAfterSeconds) },
        );
      }

      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength > max) return tooLarge(c, max);
      // Decoded as the standardwebhooks library does (Buffer#toString), so signatures agree.
      const payload = Buffer.from(bytes).toString('utf8');

      const verified = verifyWebhook({
        secrets: validSecrets(partner, now),
        headers: {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
        },
        payload,
        now,
        toleranceMs: opts.toleranceMs ?? TIMESTAMP_TOLERANCE_MS,
      });
      if (!verified.ok) return unauthorized(c, `Signature verification failed: ${verified.reason}.`);
      const webhookId = verified.webhookId;

      if (await deps.store.receipts.hasWebhookReceipt(partner.id, webhookId)) {
        return c.json({ status: 'accepted', duplicate: true } satisfies Accepted, 202);
      }

      let json: unknown;
      try {
        json = JSON.parse(payload);
      } catch {
        return problem(c, {
          type: PROBLEM_TYPES.validation,
          title: 'Invalid request',
          status: 400,
          detail: 'The body is not JSON.',
          errors: [],
        });
      }
      const parsed = eventSchema.safeParse(json);
      if (!parsed.success) return validationProblem(c, parsed.error, 'The body is not an Event document.');
      const event = parsed.data;
      const known = await deps.store.documents.existingCustomerIds([event.customerId]);
      if (!known.has(event.customerId)) {
        return problem(c, {
          type: PROBLEM_TYPES.validation,
          title: 'Unknown customer',
          status: 422,
          detail: `No customer with id ${event.customerId}; nothing was stored.`,
          errors: [{ path: 'customerId', message: 'unknown customer' }],
        });
      }

      await deps.events.publish([
        { source: EVENT_NAMES.partnerSource, detailType: EVENT_NAMES.customerEvent, detail: event },
      ]);
      // A concurrent replay may have won the receipt: the event id is idempotent downstream, so the
      // second publish had no effect either way; report it as the duplicate it was.
      const first = await deps.store.receipts.recordWebhookReceipt(partner.id, webhookId, now);
      deps.log.info('partner event accepted', {
        partnerId: partner.id,
        webhookId,
        eventId: event.id,
        duplicate: !first,
      });
      return c.json({ status: 'accepted', eventId: event.id, duplicate: !first } satisfies Accepted, 202);
    },
  );

  return app;
}
