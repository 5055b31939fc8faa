// Which client a request came from, for the failure budget of the webhook endpoint.
import * as z from 'zod';

// The client's address as the runtime saw it: the socket's (@hono/node-server) or API Gateway's
// sourceIp (hono/aws-lambda). Never X-Forwarded-For, which the client writes itself.
const nodeBindings = z.object({ incoming: z.object({ socket: z.object({ remoteAddress: z.string() }) }) });
const lambdaBindings = z.object({
  requestContext: z.union([
    z.object({ identity: z.object({ sourceIp: z.string() }) }),
    z.object({ http: z.object({ sourceIp: z.string() }) }),
  ]),
});

/** The address, or 'unknown' when the runtime does not say (in-process requests in tests). */
export function clientAddress(env: unknown): string {
  const node = nodeBindings.safeParse(env);
  if (node.success) return node.data.incoming.socket.remoteAddress;
  const lambda = lambdaBindings.safeParse(env);
  if (lambda.success) {
    const rc = lambda.data.requestContext;
    return 'identity' in rc ? rc.identity.sourceIp : rc.http.sourceIp;
  }
  return 'unknown';
}
