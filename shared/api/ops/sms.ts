// POST /v1/sms/replies: an SMS from a customer's phone, handled exactly as the cloud's inbound path
// (End User Messaging two-way → SNS → functions/inbound-sms.ts) handles one: the same payload, the
// same use case. `touchpoint sms reply FROM TEXT` and the local SMS page's reply box send it.
import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { receiveSms } from '../../usecases/sms/receive-sms.js';
import { inboundOutcomeSchema, smsReplyRequestSchema } from '../../usecases/sms/schemas.js';
import type { ApiDeps } from '../deps.js';
import {
  commonErrors,
  jsonContent,
  opsApp,
  security,
  unprocessable,
  unprocessableResponse,
} from './common.js';

/** The payload's field names as the request names them. */
const REQUEST_PATH: Record<string, string> = { originationNumber: 'from', messageBody: 'text' };

export function smsRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sms/replies',
      tags: ['sms'],
      security,
      summary: 'Receive an SMS from a phone as the two-way inbound path does (keywords, sms.reply events)',
      request: {
        body: { required: true, content: { 'application/json': { schema: smsReplyRequestSchema.clone() } } },
      },
      responses: {
        200: jsonContent(inboundOutcomeSchema.clone(), 'What the message did'),
        ...commonErrors,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const { from, text } = c.req.valid('json');
      const result = await receiveSms(deps, {
        originationNumber: from,
        messageBody: text,
        inboundMessageId: `local-${randomUUID()}`,
      });
      if (!result.ok)
        throw unprocessable(
          'The message was refused; nothing changed.',
          result.issues.map((i) => ({ path: REQUEST_PATH[i.path] ?? i.path, message: i.message })),
        );
      return c.json(result.value, 200);
    },
  );
  return app;
}
