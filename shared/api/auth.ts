// Who may call the marketing-ops endpoints. Locally (`touchpoint serve`, `npm start`) a bearer token
// kept in the data dir; in the cloud API Gateway authorizes the ops routes with IAM (SigV4), and the
// Lambda, configured without a token, accepts only requests that carry the IAM caller API Gateway
// verified. With neither, every ops request is refused: the API never fails open.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { GATEWAY_PROBLEMS, type GatewayResponseType, gatewayProblemBody } from './gateway-responses.js';

/** The part of the Lambda event hono's aws-lambda adapter puts in `c.env` that names the IAM caller. */
const iamCaller = z.union([
  // REST API (v1 payload): requestContext.identity.userArn
  z.object({ requestContext: z.object({ identity: z.object({ userArn: z.string().min(1) }) }) }),
  // HTTP API (v2 payload) with an IAM authorizer
  z.object({
    requestContext: z.object({ authorizer: z.object({ iam: z.object({ userArn: z.string().min(1) }) }) }),
  }),
]);

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** A gateway refusal as the Lambda (or the local edge) answers it: the body and headers infra gives API Gateway. */
export function gatewayProblem(c: Context, type: GatewayResponseType): Response {
  const p = GATEWAY_PROBLEMS[type];
  return new Response(JSON.stringify(gatewayProblemBody(type, new URL(c.req.url).pathname)), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...p.headers },
  });
}

/**
 * `Authorization: Bearer <token>` when a token is configured, else an IAM caller from API Gateway.
 * Refused as API Gateway refuses an unsigned or badly signed request: 403, missing and bad alike.
 */
export function opsAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (token !== undefined && token.length > 0) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      if (match?.[1] !== undefined && sameSecret(match[1], token)) return next();
    } else if (iamCaller.safeParse(c.env).success) {
      return next();
    }
    return gatewayProblem(c, header === undefined ? 'MISSING_AUTHENTICATION_TOKEN' : 'INVALID_SIGNATURE');
  };
}
