// The sender reputation guard (docs/send-time-checks.md): a channel's sending state and the
// operator's resume. `touchpoint sending status|resume CHANNEL` are the CLI's clients of these.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import {
  guardedChannel,
  sendingResumedSchema,
  sendingStatusSchema,
} from '../../usecases/reputation/schemas.js';
import { resumeSending, sendingStatus } from '../../usecases/reputation/sending.js';
import type { ApiDeps } from '../deps.js';
import { commonErrors, jsonContent, opsApp, security } from './common.js';

const tags = ['sending'];
const channelParam = z.object({
  channel: guardedChannel.clone().openapi({ param: { name: 'channel', in: 'path' }, example: 'email' }),
});

export function sendingRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const ports = { reputation: deps.store.reputation, clock: deps.clock };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sending/{channel}',
      tags,
      security,
      summary: 'Whether the channel sends, and the bounce and complaint rates the reputation guard judges',
      request: { params: channelParam },
      responses: { 200: jsonContent(sendingStatusSchema.clone(), 'The channel'), ...commonErrors },
    }),
    async (c) => c.json(await sendingStatus(ports, c.req.valid('param').channel), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sending/{channel}/resume',
      tags,
      security,
      summary: 'Let a paused channel send again; the rates so far are forgiven (idempotent)',
      request: { params: channelParam },
      responses: {
        200: jsonContent(sendingResumedSchema.clone(), 'Resumed (or was not paused)'),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await resumeSending(ports, c.req.valid('param').channel), 200),
  );
  return app;
}
