// Preview (render every step's messages for one customer) and test-send (one rendered message to an
// address given in the request). The rules live in shared/usecases/campaigns/{preview,test-send}.ts;
// these routes parse, call them and present the result.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { channel, locale as localeSchema, phone } from '../../domain/documents.js';
import { previewCampaign, previewSchema } from '../../usecases/campaigns/preview.js';
import { testSend } from '../../usecases/campaigns/test-send.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES } from '../problem.js';
import {
  commonErrors,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  ProblemError,
  security,
  unprocessable,
  unprocessableResponse,
} from './common.js';
import { addressField, campaignIdParam, idField } from './params.js';

const testSendBody = z
  .strictObject({
    stepId: idField(),
    channel,
    address: addressField(),
    /** Render with this customer's data (default: sample data); the message still goes to `address`. */
    customerId: idField().optional(),
    locale: localeSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const ok =
      b.channel === 'email' ? z.email().safeParse(b.address).success : phone.safeParse(b.address).success;
    if (!ok)
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: b.channel === 'email' ? 'must be an email address' : 'must be an E.164 phone number',
      });
  });

const renderFailed = (failure: { path: string; message: string }) =>
  unprocessable('A template failed to render.', [failure]);

const tag = ['campaigns'];

export function previewRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const { campaigns, customers, settings } = deps.store;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns/{id}/preview',
      tags: tag,
      security,
      summary:
        "Render every step's messages for one customer (none named: the sample customer), per channel, in the customer's locale or the one given; emails also as sent (layout and footer)",
      request: {
        params: campaignIdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ customerId: idField().optional(), locale: localeSchema.optional() }),
            },
          },
        },
      },
      responses: {
        200: jsonContent(previewSchema.clone(), 'The rendered messages'),
        ...commonErrors,
        ...notFoundResponse,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { customerId, locale } = c.req.valid('json');
      const result = await previewCampaign(
        { campaigns, customers, settings, clock: deps.clock },
        { campaignId: id, customerId, locale },
      );
      if (result.ok) return c.json(result.value, 200);
      if (result.reason === 'render-failed') throw renderFailed(result.failure);
      throw notFound(
        result.reason === 'campaign-not-found' ? `Campaign ${id}` : `Customer ${customerId ?? ''}`,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns/{id}/test-send',
      tags: tag,
      security,
      summary:
        'Send one rendered step message to the given address only (not recorded in the ledger); refused (422) when the address is on the suppression list',
      request: {
        params: campaignIdParam,
        body: { required: true, content: { 'application/json': { schema: testSendBody } } },
      },
      responses: {
        200: jsonContent(
          z.object({ sent: z.literal(true), to: z.string(), providerMessageId: z.string() }),
          'Sent',
        ),
        ...commonErrors,
        ...notFoundResponse,
        ...unprocessableResponse,
        502: jsonContent(z.object({}), 'The channel refused the message (problem JSON)'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const result = await testSend(
        {
          campaigns,
          customers,
          suppression: deps.store.suppression,
          settings: deps.store.settings,
          email: deps.email,
          sms: deps.sms,
          clock: deps.clock,
        },
        { campaignId: id, ...body },
      );
      if (result.ok) return c.json(result.value, 200);
      switch (result.reason) {
        case 'campaign-not-found':
          throw notFound(`Campaign ${id}`);
        case 'customer-not-found':
          throw notFound(`Customer ${body.customerId ?? ''}`);
        case 'step-not-found':
          throw notFound(`Step ${body.stepId} of campaign ${id}`);
        case 'no-template':
          throw unprocessable('The step has no template for this channel.', [
            { path: 'channel', message: `template ${result.template} has no ${body.channel} version` },
          ]);
        case 'render-failed':
          throw renderFailed(result.failure);
        case 'invalid-address':
          throw unprocessable(result.message, [{ path: 'address', message: result.message }]);
        case 'address-suppressed': {
          const { address, reason, source, addedAt } = result.suppression;
          const why = `${address} is on the suppression list (${reason}, from ${source}, since ${addedAt}); nothing was sent`;
          throw unprocessable(`The address is suppressed: ${why}.`, [
            { path: 'address', message: `suppressed: ${reason} (${source}, since ${addedAt})` },
          ]);
        }
        case 'channel-refused':
          throw new ProblemError({
            type: PROBLEM_TYPES.internal,
            title: 'Channel refused the message',
            status: 502,
            detail: result.error,
          });
      }
    },
  );
  return app;
}
