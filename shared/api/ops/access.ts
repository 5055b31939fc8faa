// Who the caller is and what they may do, on every /v1 route (after opsAuth authenticated it): the
// principal is resolved once and put in the context (`c.get('principal')`); the route's policy
// (shared/api/policy.ts) refuses a role below it with a 403 problem naming the role needed; a
// refusal, and a change that succeeded, is kept in the audit log. A failed audit write is logged
// and counted (the AuditWriteFailed alarm), never turned into a failure of the change it records.
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { METRIC_NAMES } from '../../observability/metric-names.js';
import { publishMetrics } from '../../observability/metrics.js';
import { type AuditFacts, recordAudit } from '../../usecases/audit/audit.js';
import { bearerMatches, gatewayProblem } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { openApiPath, pathParams, policyOf, UNLISTED_POLICY } from '../policy.js';
import { type PrincipalEnv, resolvePrincipal, roleAllows } from '../principal.js';
import { PROBLEM_TYPES, problem } from '../problem.js';

const decoded = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export function accessControl(deps: ApiDeps): MiddlewareHandler<PrincipalEnv> {
  const record = (facts: AuditFacts) =>
    recordAudit(
      {
        audit: deps.store.audit,
        clock: deps.clock,
        pseudonymKey: deps.config.pseudonymKey,
        onFailure: (error, entry) => {
          deps.log.error('audit entry not written', {
            error,
            entry: { ...entry, actor: { ...entry.actor, name: undefined } },
          });
          publishMetrics([{ name: METRIC_NAMES.auditWriteFailed, dimensions: {}, value: 1, unit: 'Count' }]);
        },
      },
      facts,
    );

  return async (c, next) => {
    const resolved = resolvePrincipal(
      c.env,
      bearerMatches(c.req.header('authorization'), deps.config.opsToken),
    );
    if (!resolved.ok) {
      if (resolved.reason === 'no-role')
        return problem(c, {
          type: PROBLEM_TYPES.forbidden,
          title: 'Forbidden',
          status: 403,
          detail:
            'The signed-in user is in none of the groups admin, editor, viewer; an administrator adds them to one.',
        });
      // opsAuth let nothing else through; refuse as it would.
      return gatewayProblem(c, 'MISSING_AUTHENTICATION_TOKEN');
    }
    const principal = resolved.principal;
    c.set('principal', principal);

    // The route that will answer: the first handler (not middleware) the router matched. None: a 404.
    const handler = matchedRoutes(c).find((r) => r.method !== 'ALL');
    if (handler === undefined) return next();
    const route = openApiPath(handler.path);
    const method = c.req.method.toUpperCase();
    const policy = policyOf(method, route) ?? UNLISTED_POLICY;
    const facts = {
      actor: principal,
      method,
      path: c.req.path,
      route,
      params: (pathParams(route, c.req.path) ?? []).map(decoded),
      personal: policy.personal === true,
    };
    if (!roleAllows(principal.role, policy.role)) {
      const refused = problem(c, {
        type: PROBLEM_TYPES.forbidden,
        title: 'Forbidden',
        status: 403,
        detail: `${principal.role} may not ${method} ${route}; it needs ${policy.role}.`,
        role: principal.role,
        needs: policy.role,
      });
      await record({ ...facts, status: 403, outcome: 'denied' });
      return refused;
    }
    await next();
    if (policy.audit && c.res.status < 400) await record({ ...facts, status: c.res.status, outcome: 'ok' });
  };
}
