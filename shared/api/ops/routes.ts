// The marketing-ops API: every /v1 route behind authentication and the body limit, split by
// resource. Each route is declared with createRoute so /openapi.json documents it; every failure
// is RFC 9457 problem JSON (common.ts). docs/api.md describes the endpoints.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { opsAuth } from '../auth.js';
import { refuseNonUtf8 } from '../body-encoding.js';
import { refuseDeepJson } from '../body-nesting.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES, problem } from '../problem.js';
import { accessControl } from './access.js';
import { auditRoutes } from './audit.js';
import { calendarRoutes } from './calendar.js';
import { campaignRoutes } from './campaigns.js';
import { opsApp } from './common.js';
import { consentRoutes } from './consent.js';
import { customerSearchRoutes } from './customer-search.js';
import { customerRoutes } from './customers.js';
import { deliveryRoutes } from './deliveries.js';
import { deliveryReleaseRoutes } from './delivery-release.js';
import { importRoutes } from './imports.js';
import { partnerRoutes } from './partners.js';
import { previewRoutes } from './preview.js';
import { referencePage } from './reference.js';
import { reportRoutes } from './reports.js';
import { runRoutes } from './runs.js';
import { sendingRoutes } from './sending.js';
import { smsRoutes } from './sms.js';
import { suppressionRoutes } from './suppressions.js';
import { uploadRoutes } from './uploads.js';

export function opsRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'Locally the token `touchpoint serve` prints; in the cloud API Gateway uses IAM (SigV4) instead. The console calls the same routes under /console/v1 with a Cognito ID token; its role is enforced per route (docs/console-auth.md).',
  });
  // Authentication before the body is read; then the size limit (Content-Length or counted while streaming).
  app.use('/v1/*', opsAuth(deps.config.opsToken));
  // Then who the caller is and whether their role may call the route (403 before the body is read);
  // refusals and successful changes go to the audit log (access.ts, shared/api/policy.ts).
  app.use('/v1/*', accessControl(deps));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: (c) =>
        problem(c, {
          type: PROBLEM_TYPES.tooLarge,
          title: 'Payload too large',
          status: 413,
          detail: `The body may be at most ${deps.config.maxBodyBytes} bytes; send larger imports through POST /v1/imports (an upload URL).`,
        }),
    }),
  );
  // Then, still before any route parses it, a body that is not UTF-8, or JSON nested beyond any
  // document, is refused.
  app.use('/v1/*', refuseNonUtf8());
  app.use('/v1/*', refuseDeepJson());
  for (const part of [
    campaignRoutes,
    previewRoutes,
    runRoutes,
    importRoutes,
    customerRoutes,
    consentRoutes,
    deliveryRoutes,
    deliveryReleaseRoutes,
    uploadRoutes,
    partnerRoutes,
    suppressionRoutes,
    smsRoutes,
    sendingRoutes,
    reportRoutes,
    calendarRoutes,
    customerSearchRoutes,
  ])
    app.route('/', part(deps));
  // GET /v1/me and GET /v1/audit read the principal from the context (typed Variables).
  app.route('/', auditRoutes(deps));

  // Public like /openapi.json; rendered once, on first use, from the routes registered above.
  let html: string | undefined;
  app.get('/reference', (c) => {
    html ??= referencePage(app);
    return c.html(html);
  });
  return app;
}
