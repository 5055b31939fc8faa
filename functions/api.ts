// API Gateway (REST, Lambda proxy) → the one Hono application. The same app serves locally
// (touchpoint serve); here it is built once per cold start, on the first request, so the local
// runtime can import this module without AWS configuration.
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createApp } from '../shared/api/app.js';
import type { ApiDeps } from '../shared/api/deps.js';

export const createHandler = (deps: ApiDeps) => handle(createApp(deps));

let built: Promise<ReturnType<typeof createHandler>> | undefined;

export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  built ??= import('./commons/api-deps.js').then(async ({ apiCloudDeps }) =>
    createHandler(await apiCloudDeps()),
  );
  // A failed cold start (bad environment) is not cached: the next request tries again and logs again.
  const app = await built.catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return app(event, context);
};
