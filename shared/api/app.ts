// The one Hono application: marketing-ops endpoints and partner webhooks, the same code behind
// API Gateway (functions/api.ts) and on a local port (touchpoint serve / npm start).
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { getPath } from 'hono/utils/url';
import type { ApiDeps } from './deps.js';
import { opsRoutes } from './ops/routes.js';
import { PROBLEM_TYPES, problem, validationProblem } from './problem.js';
import { unsubscribeRoutes } from './unsubscribe/routes.js';
import { webhookRoutes } from './webhooks/routes.js';

/** Where the browser console reaches the ops routes: API Gateway authorizes it with Cognito. */
export const CONSOLE_PREFIX = '/console';

/**
 * `/console/v1/…` is routed as `/v1/…`: one copy of the ops routes behind two doors (IAM on /v1,
 * the console's Cognito user pool on /console/v1; infra/constructs/api.ts). `c.req.path` is the
 * routed path; the URL keeps what the client called.
 */
export function routedPath(req: Request): string {
  const path = getPath(req);
  return path === `${CONSOLE_PREFIX}/v1` || path.startsWith(`${CONSOLE_PREFIX}/v1/`)
    ? path.slice(CONSOLE_PREFIX.length)
    : path;
}

export function createApp(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono({
    getPath: routedPath,
    // Every zod validation failure of a route becomes a 400 problem with the issues' paths.
    defaultHook: (result, c) => {
      if (!result.success) return validationProblem(c, result.error);
    },
  });
  app.route('/', webhookRoutes(deps));
  // GET/POST /u/{token}: unsubscribe links, no login (the signed token is the credential).
  app.route('/', unsubscribeRoutes(deps));
  app.route('/', opsRoutes(deps));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Touchpoint API',
      version: '1.0.0',
      description: 'Marketing-ops API and partner webhooks',
    },
  });
  app.notFound((c) => problem(c, { type: PROBLEM_TYPES.notFound, title: 'Not found', status: 404 }));
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      return problem(c, {
        type: PROBLEM_TYPES.validation,
        title: err.message || 'Bad request',
        status: err.status,
      });
    }
    deps.log.error('unhandled API error', err);
    return problem(c, { type: PROBLEM_TYPES.internal, title: 'Internal error', status: 500 });
  });
  return app;
}
