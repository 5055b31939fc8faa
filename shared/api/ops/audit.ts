// GET /v1/me (who the API takes the caller for, and their role: what the console shows and hides)
// and GET /v1/audit (the audit log, newest first, a page at a time with an opaque cursor).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listAudit } from '../../usecases/audit/audit.js';
import {
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  auditEntrySchema,
  auditPageSchema,
} from '../../usecases/audit/schemas.js';
import type { ApiDeps } from '../deps.js';
import { type PrincipalEnv, principalSchema } from '../principal.js';
import { validationProblem } from '../problem.js';
import { commonErrors, jsonContent, problemResponse, security, toProblem } from './common.js';
import { MAX_CURSOR_CHARS, openCursor, queryDigestOf, sealCursor } from './cursor.js';

const AUDIT_QUERY = queryDigestOf(['GET /v1/audit']);
const cursorSchema = z.strictObject({
  q: z.string(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  before: z.string().max(80),
});

const forbidden = {
  403: problemResponse('The caller’s role may not call this route (the role it needs is named)'),
};

export function auditRoutes(deps: ApiDeps): OpenAPIHono<PrincipalEnv> {
  const app = new OpenAPIHono<PrincipalEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationProblem(c, result.error);
    },
  });
  app.onError((err, c) => toProblem(err, c, deps.log));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      tags: ['access'],
      security,
      summary:
        'The caller as the API sees it: subject, name, role (admin, editor, viewer), and how they signed in',
      responses: {
        200: jsonContent(principalSchema.clone().openapi('Principal'), 'The caller'),
        ...commonErrors,
        ...forbidden,
      },
    }),
    (c) => c.json(c.get('principal'), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/audit',
      tags: ['access'],
      security,
      summary: 'The audit log, newest first: every change and every refused role (who, what, when)',
      request: {
        query: z.object({
          cursor: z.string().min(1).max(MAX_CURSOR_CHARS).optional(),
          limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT),
        }),
      },
      responses: {
        200: jsonContent(
          auditPageSchema
            .extend({ entries: z.array(auditEntrySchema.clone().openapi('AuditEntry')) })
            .openapi('AuditPage'),
          'A page; `cursor` is absent on the last',
        ),
        ...commonErrors,
        ...forbidden,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor === undefined ? undefined : openCursor(q.cursor, cursorSchema, AUDIT_QUERY);
      const page = await listAudit(
        { audit: deps.store.audit, clock: deps.clock },
        { limit: q.limit, after: after && { month: after.month, before: after.before } },
      );
      return c.json(
        {
          entries: page.entries,
          ...(page.next && { cursor: sealCursor({ q: AUDIT_QUERY, ...page.next }) }),
        },
        200,
      );
    },
  );
  return app;
}
