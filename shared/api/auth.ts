// Who may call the marketing-ops endpoints. Locally (`touchpoint serve`, `npm start`) a bearer token
// printed at start; in the cloud API Gateway authorizes the ops routes with IAM (SigV4), and the
// Lambda, configured without a token, accepts only requests that carry the IAM caller API Gateway
// verified. With neither, every ops request is refused: the API never fails open.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { PROBLEM_TYPES, problem } from './problem.js';

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

/** `Authorization: Bearer <token>` when a token is configured, else an IAM caller from API Gateway. */
export function opsAuth(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token !== undefined && token.length > 0) {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match?.[1] !== undefined && sameSecret(match[1], token)) return next();
    } else if (iamCaller.safeParse(c.env).success) {
      return next();
    }
    return problem(
      c,
      {
        type: PROBLEM_TYPES.unauthorized,
        title: 'Unauthorized',
        status: 401,
        detail:
          token !== undefined && token.length > 0
            ? 'Send Authorization: Bearer <token> (touchpoint serve prints the development token).'
            : 'The ops API is authorized by API Gateway (IAM); this request carries no verified caller.',
      },
      { 'www-authenticate': 'Bearer realm="touchpoint-ops"' },
    );
  };
}
