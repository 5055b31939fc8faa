// Who is calling a /v1 route, resolved once per request (ops/access.ts) from what authenticated it:
// an IAM caller API Gateway verified (operators with AWS credentials), the local development token,
// or the claims of a Cognito ID token API Gateway's Cognito authorizer (the local edge, locally)
// verified and put in `requestContext.authorizer.claims`. One copy for the cloud and locally.
import * as z from 'zod';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Stable id of the caller: the IAM ARN, `local-developer`, or the Cognito user's `sub`. */
  subject: string;
  /** For people: the IAM ARN, "local developer", the Cognito user's email. */
  name: string;
  role: Role;
  via: 'iam' | 'token' | 'cognito';
}

/** The Hono context variables of the ops routes (typed: `c.get('principal')`). */
export type PrincipalVariables = { principal: Principal };
export type PrincipalEnv = { Variables: PrincipalVariables };

export const principalSchema = z.object({
  subject: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  via: z.enum(['iam', 'token', 'cognito']),
});

/** Whether `role` may do what `needed` may (admin > editor > viewer). */
export const roleAllows = (role: Role, needed: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(needed);

export const LOCAL_DEVELOPER: Principal = {
  subject: 'local-developer',
  name: 'local developer',
  role: 'admin',
  via: 'token',
};

/**
 * `cognito:groups` as API Gateway's REST (v1) payload carries it: a string, either one group
 * (`admin`) or several in brackets separated by spaces or commas (`[admin editor]`); an array
 * (the token itself, or an HTTP API) is taken too.
 */
export const cognitoGroups = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : v.replace(/^\s*\[|\]\s*$/g, '').split(/[\s,]+/)).filter((g) => g.length > 0),
  );

/** The highest of the groups that name a role; undefined when none does (403). */
export function roleOfGroups(groups: readonly string[]): Role | undefined {
  return [...ROLES].reverse().find((role) => groups.includes(role));
}

export const cognitoClaims = z.object({
  sub: z.string().min(1),
  email: z.string().min(1).optional(),
  'cognito:groups': cognitoGroups.optional(),
});
export type CognitoClaims = z.input<typeof cognitoClaims>;

/** The part of the Lambda event (c.env) that holds a Cognito authorizer's claims (REST API, v1 payload). */
const cognitoEvent = z.object({
  requestContext: z.object({ authorizer: z.object({ claims: z.record(z.string(), z.unknown()) }) }),
});

const iamEvent = z.union([
  z.object({ requestContext: z.object({ identity: z.object({ userArn: z.string().min(1) }) }) }),
  z.object({
    requestContext: z.object({ authorizer: z.object({ iam: z.object({ userArn: z.string().min(1) }) }) }),
  }),
]);

/** Whether the event carries Cognito claims at all (authenticated by the authorizer). */
export const hasCognitoClaims = (env: unknown): boolean => cognitoEvent.safeParse(env).success;

/** The IAM caller's ARN, when API Gateway verified a SigV4 signature. */
export function iamCallerArn(env: unknown): string | undefined {
  const parsed = iamEvent.safeParse(env);
  if (!parsed.success) return undefined;
  const ctx = parsed.data.requestContext;
  return 'identity' in ctx ? ctx.identity.userArn : ctx.authorizer.iam.userArn;
}

export type PrincipalResult =
  | { ok: true; principal: Principal }
  /** Authenticated, but no group names a role: 403. */
  | { ok: false; reason: 'no-role'; subject: string }
  /** Nothing authenticated the request (opsAuth refuses it first). */
  | { ok: false; reason: 'unauthenticated' };

/** The principal of a Cognito-authorized request, from its claims. */
export function principalFromClaims(claims: unknown): PrincipalResult {
  const parsed = cognitoClaims.safeParse(claims);
  if (!parsed.success) return { ok: false, reason: 'unauthenticated' };
  const { sub, email } = parsed.data;
  const role = roleOfGroups(parsed.data['cognito:groups'] ?? []);
  if (role === undefined) return { ok: false, reason: 'no-role', subject: sub };
  return { ok: true, principal: { subject: sub, name: email ?? sub, role, via: 'cognito' } };
}

/**
 * The caller of a request opsAuth let through: Cognito claims first (the console path), then the
 * development token (`tokenMatched`), then the IAM caller.
 */
export function resolvePrincipal(env: unknown, tokenMatched: boolean): PrincipalResult {
  const cognito = cognitoEvent.safeParse(env);
  if (cognito.success) return principalFromClaims(cognito.data.requestContext.authorizer.claims);
  if (tokenMatched) return { ok: true, principal: LOCAL_DEVELOPER };
  const arn = iamCallerArn(env);
  if (arn !== undefined)
    return { ok: true, principal: { subject: arn, name: arn, role: 'admin', via: 'iam' } };
  return { ok: false, reason: 'unauthenticated' };
}
