// Who may call the marketing-ops endpoints. Locally (`touchpoint serve`, `npm start`) a bearer token
// kept in the data dir; in the cloud API Gateway authorizes the ops routes with IAM (SigV4), and the
// Lambda, configured without a token, accepts only requests that carry the IAM caller API Gateway
// verified. The console's path (/console/v1) is authorized by API Gateway's Cognito authorizer (the
// local edge, locally), which hands the Lambda the ID token's claims. With none of these, every ops
// request is refused: the API never fails open. Roles are checked after (ops/access.ts).
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { GATEWAY_PROBLEMS, type GatewayResponseType, gatewayProblemBody } from './gateway-responses.js';
import { hasCognitoClaims, iamCallerArn } from './principal.js';

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (token === undefined || token.length === 0) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] !== undefined && sameSecret(match[1], token);
}

/** A gateway refusal as the Lambda (or the local edge) answers it: the body and headers infra gives API Gateway. */
export function gatewayProblem(c: Context, type: GatewayResponseType): Response {
  const p = GATEWAY_PROBLEMS[type];
  return new Response(JSON.stringify(gatewayProblemBody(type, new URL(c.req.url).pathname)), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...p.headers },
  });
}

/**
 * `Authorization: Bearer <token>` when a token is configured, else an IAM caller from API Gateway;
 * on either, Cognito claims API Gateway's authorizer verified.
 * Refused as API Gateway refuses an unsigned or badly signed request: 403, missing and bad alike.
 */
export function opsAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    // The console path (/console/v1): API Gateway's Cognito authorizer (the local edge, locally)
    // verified the ID token and passed its claims; the principal middleware reads the role from them.
    if (hasCognitoClaims(c.env)) return next();
    if (token !== undefined && token.length > 0) {
      if (bearerMatches(header, token)) return next();
    } else if (iamCallerArn(c.env) !== undefined) {
      return next();
    }
    return gatewayProblem(c, header === undefined ? 'MISSING_AUTHENTICATION_TOKEN' : 'INVALID_SIGNATURE');
  };
}
