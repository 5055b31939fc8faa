// Who may call which ops route: one table, every route as registered (method + OpenAPI path
// template), the least role it needs and whether a call is kept in the audit log. Reads need viewer;
// changes editor; erasing a customer, managing partners, the settings, taking an address off the
// suppression list, releasing a delivery key (it may resend), replaying a customer's SMS reply
// (START re-subscribes) and resuming a channel the reputation guard paused need admin. Dry runs,
// previews and validation are reads. test/unit/api/policy.test.ts fails when a registered route is
// missing here; a route that is missing anyway needs admin (ops/access.ts: the API fails closed).
import type { Role } from './principal.js';

export interface RoutePolicy {
  /** The least role allowed. */
  role: Role;
  /** Kept in the audit log when it succeeds, and when a role is refused. */
  audit: boolean;
  /**
   * The path parameters name a customer, a contract or an address (personal data): the audit log
   * keeps them as the pseudonym erasure uses (`anon-<HMAC>`), never in clear.
   */
  personal?: true;
}

const read: RoutePolicy = { role: 'viewer', audit: false };
const change: RoutePolicy = { role: 'editor', audit: true };
const adminChange: RoutePolicy = { role: 'admin', audit: true };
const personalRead: RoutePolicy = { ...read, personal: true };
const personalChange: RoutePolicy = { ...change, personal: true };

/** `METHOD /path/{param}` → its policy. */
export const ROUTE_POLICY: Readonly<Record<string, RoutePolicy>> = {
  // Who am I, and what was done.
  'GET /v1/me': read,
  'GET /v1/audit': read,
  // Campaigns: validate and preview are dry runs.
  'GET /v1/campaigns': read,
  'POST /v1/campaigns': change,
  'POST /v1/campaigns/validate': read,
  'GET /v1/campaigns/{id}': read,
  'PUT /v1/campaigns/{id}': change,
  'GET /v1/campaigns/{id}/versions': read,
  'GET /v1/campaigns/{id}/versions/{n}': read,
  'POST /v1/campaigns/{id}/pause': change,
  'POST /v1/campaigns/{id}/resume': change,
  'POST /v1/campaigns/{id}/preview': read,
  'POST /v1/campaigns/{id}/test-send': change,
  // Runs: the plan is a dry run; a run sends.
  'GET /v1/plan': read,
  'GET /v1/calendar': read,
  'POST /v1/runs': change,
  'GET /v1/runs/{executionId}': read,
  'GET /v1/run-results/{runId}': read,
  // Imports.
  'POST /v1/customers:import': change,
  'POST /v1/contracts:import': change,
  'POST /v1/events:import': change,
  'POST /v1/imports': change,
  'GET /v1/imports/{importId}': read,
  // Customers and contracts: an export discloses a customer's personal data, so it is an editor's
  // and audited though it changes nothing; erasing is an admin's.
  // Search by id, email or phone: the terms are in the query string, never in the log.
  'GET /v1/customers': read,
  'GET /v1/customers/{id}': personalRead,
  'PUT /v1/customers/{id}': personalChange,
  'GET /v1/customers/{id}/view': personalRead,
  'GET /v1/customers/{id}/export': { role: 'editor', audit: true, personal: true },
  'DELETE /v1/customers/{id}': { ...adminChange, personal: true },
  'GET /v1/contracts/{id}': personalRead,
  'PUT /v1/contracts/{id}': personalChange,
  'GET /v1/customers/{id}/consent': personalRead,
  'POST /v1/customers/{id}/consent': personalChange,
  // The ledger.
  'GET /v1/deliveries': read,
  'POST /v1/deliveries/release': adminChange,
  // Settings.
  'GET /v1/settings': read,
  'PUT /v1/settings': adminChange,
  // Partners: every change is an admin's.
  'GET /v1/partners': read,
  'GET /v1/partners/{id}/activity': read,
  'POST /v1/partners': adminChange,
  'POST /v1/partners/{id}/rotate': adminChange,
  'POST /v1/partners/{id}/revoke': adminChange,
  // Suppressions: adding one only stops sends; removing one re-allows them.
  'GET /v1/suppressions': read,
  'POST /v1/suppressions': change,
  'DELETE /v1/suppressions/{address}': { ...adminChange, personal: true },
  // An SMS reply as if from a customer's phone: START re-subscribes, so it is an admin's.
  'POST /v1/sms/replies': adminChange,
  // Sending: resuming overrides the reputation guard.
  'GET /v1/sending/{channel}': read,
  'POST /v1/sending/{channel}/resume': adminChange,
  // Results.
  'GET /v1/reports/campaigns': read,
  'GET /v1/reports/campaigns/{id}': read,
};

/** What a route without an entry gets: admin only, audited (the API fails closed). */
export const UNLISTED_POLICY: RoutePolicy = adminChange;

/** `/v1/campaigns/:id` (Hono) → `/v1/campaigns/{id}` (OpenAPI, the table's form). */
export const openApiPath = (honoPath: string): string =>
  honoPath.replace(/(^|\/):([A-Za-z0-9_]+)/g, '$1{$2}');

export const policyKey = (method: string, template: string): string =>
  `${method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()} ${template}`;

export function policyOf(method: string, template: string): RoutePolicy | undefined {
  const key = policyKey(method, template);
  return Object.hasOwn(ROUTE_POLICY, key) ? ROUTE_POLICY[key] : undefined;
}

/** The values of the template's `{params}` in a concrete path, in order; undefined if it does not match. */
export function pathParams(template: string, path: string): string[] | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const values: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const part = t[i] ?? '';
    const seg = p[i] ?? '';
    if (/^\{[^}]+\}$/.test(part)) values.push(seg);
    else if (part !== seg) return undefined;
  }
  return values;
}
