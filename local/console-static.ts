// The console's static files on the local API server's port, as CloudFront serves them in the
// cloud: the static side answers /console and /console/* except /console/v1/*, which is the API
// (API Gateway behind CloudFront; here the local edge). The split is consoleOrigin(), one rule
// for both servers, read from infra/console-site.ts; so is the viewer-request function that maps
// a path to a file (infra/console-viewer-request.js, run here in a VM context).
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  CACHE_CONTROL,
  CONSOLE_API_BASE,
  CONSOLE_API_PATH_PATTERN,
  CONSOLE_ASSETS_DIR,
  CONSOLE_BASE,
  consoleResponseHeaders,
  VIEWER_REQUEST_FUNCTION_FILE,
} from '../infra/console-site.js';

type Fetch = (req: Request, env?: object) => Response | Promise<Response>;

/** What the app reads at /console/config.json locally: the API on this origin, the local sign-in. */
export const LOCAL_CONSOLE_CONFIG = { apiBase: CONSOLE_API_BASE, auth: { kind: 'local' } } as const;

/** A CloudFront path pattern (`*` any characters, `?` one), matched as CloudFront does: case-sensitive. */
export function matchesPathPattern(pattern: string, path: string): boolean {
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(path);
}

/**
 * Which origin answers a path on the console's host: `static` (S3 in the cloud, the build here) or
 * `api` (API Gateway in the cloud, the local edge here). Outside /console everything is the API:
 * locally the API's own paths share the port.
 */
export function consoleOrigin(pathname: string): 'static' | 'api' {
  if (matchesPathPattern(CONSOLE_API_PATH_PATTERN, pathname)) return 'api';
  const base = CONSOLE_BASE.replace(/\/$/, '');
  return pathname === base || pathname.startsWith(CONSOLE_BASE) ? 'static' : 'api';
}

const ViewerResult = z.union([
  z.object({
    statusCode: z.number().int(),
    headers: z.object({ location: z.object({ value: z.string() }) }),
  }),
  z.object({ uri: z.string() }),
]);
export type ViewerResult = z.infer<typeof ViewerResult>;

/** The CloudFront Function's handler, loaded once from its file. */
export function viewerRequestFunction(
  code = readFileSync(VIEWER_REQUEST_FUNCTION_FILE, 'utf8'),
): (uri: string) => ViewerResult {
  const handler: unknown = runInNewContext(
    `${code}\n;typeof handler === 'function' ? handler : undefined`,
    {},
  );
  if (typeof handler !== 'function') throw new Error(`${VIEWER_REQUEST_FUNCTION_FILE} defines no handler`);
  return (uri) => {
    const event = {
      version: '1.0',
      context: { eventType: 'viewer-request' },
      request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} },
    };
    const result: unknown = Reflect.apply(handler, undefined, [event]);
    return ViewerResult.parse(result);
  };
}

export interface ConsoleSite {
  /** The build (local/console-assets.ts): index.html, assets/. */
  dir: string;
  /** config.json's body. Default: LOCAL_CONSOLE_CONFIG. */
  config?: object;
}

/** The static side alone: GET/HEAD of the build, the security headers on every answer. */
export function consoleStaticApp(site: ConsoleSite): Hono {
  const viewerRequest = viewerRequestFunction();
  const headers = consoleResponseHeaders();
  const assetsPrefix = `${CONSOLE_BASE}${CONSOLE_ASSETS_DIR}/`;
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  });
  app.on(['GET', 'HEAD'], `${CONSOLE_BASE}config.json`, (c) => {
    c.header('Cache-Control', CACHE_CONTROL.revalidate);
    return c.json(site.config ?? LOCAL_CONSOLE_CONFIG);
  });
  app.on(['GET', 'HEAD'], '*', async (c) => {
    const result = viewerRequest(c.req.path);
    if ('statusCode' in result) return c.redirect(result.headers.location.value, 301);
    const file = result.uri;
    c.header(
      'Cache-Control',
      file.startsWith(assetsPrefix) ? CACHE_CONTROL.immutable : CACHE_CONTROL.revalidate,
    );
    // serveStatic refuses `..`, backslashes, doubled slashes and encoded separators in the request
    // path before the rewrite; the rewrite only appends index.html or names the app's page.
    const found = await serveStatic({
      root: site.dir,
      rewriteRequestPath: () => file.slice(CONSOLE_BASE.length - 1),
    })(c, async () => {});
    return found ?? c.notFound();
  });
  // A file that is not there (S3 answers 403 through its origin access control; 404 here).
  app.notFound((c) => c.text('Not Found', 404, { 'Cache-Control': 'no-store' }));
  // CloudFront's static behavior allows GET and HEAD only.
  app.all('*', (c) => c.text('Method Not Allowed', 405, { Allow: 'GET, HEAD' }));
  return app;
}

/**
 * The console's static side in front of the API: the two origins of one host, split by
 * consoleOrigin. `site` may still be building: its paths answer 503 until it is there (the API
 * answers meanwhile), and 503 with the reason if the build failed.
 */
export function withConsole(site: ConsoleSite | Promise<ConsoleSite>, api: Fetch): Fetch {
  let statics: Hono | Error | undefined;
  Promise.resolve(site).then(
    (s) => {
      statics = consoleStaticApp(s);
    },
    (err: unknown) => {
      statics = err instanceof Error ? err : new Error(String(err));
    },
  );
  const unavailable = (text: string) =>
    new Response(text, { status: 503, headers: { 'Retry-After': '2', 'Cache-Control': 'no-store' } });
  return (req, env) => {
    if (consoleOrigin(new URL(req.url).pathname) === 'api') return api(req, env);
    if (statics === undefined) return unavailable('The console is being built; reload in a few seconds.\n');
    if (statics instanceof Error) return unavailable(`${statics.message}\n`);
    return statics.fetch(req);
  };
}
