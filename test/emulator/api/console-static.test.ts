// The console's static files on the local API's port, in front of the local edge (the template's
// API Gateway over DynamoDB Local): content types and cache headers as CloudFront's behaviors give
// them, index.html for /console/ and app routes, the security headers, config.json, no way out of
// the build directory, 503 while the build is still running, and /console/v1/* still the API.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL, consoleCsp } from '../../../infra/console-site.js';
import { type ApiServer, localApiDeps, startApiServer } from '../../../local/api-server.js';
import { LOCAL_CONSOLE_CONFIG } from '../../../local/console-static.js';
import { LocalBus } from '../../../local/local-bus.js';
import { loadTemplate } from '../../../local/synth.js';
import { webhookTestBed } from '../support/webhooks.js';

const bed = webhookTestBed();
const INDEX =
  '<!doctype html><html><head><script type="module" src="/console/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
let work: string;
let server: ApiServer;
let deps: ReturnType<typeof localApiDeps>;
let template: Awaited<ReturnType<typeof loadTemplate>>['template'];
let releaseBuild: (site: { dir: string }) => void = () => {};
let building: ApiServer;
let buildDir: string;

/** A GET with the path sent as written (fetch would resolve `..` before sending). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  await bed.setup();
  work = mkdtempSync(join(tmpdir(), 'tp-console-static-'));
  // A build as Vite lays it out, and a file beside it that must never be served.
  buildDir = join(work, 'build');
  mkdirSync(join(buildDir, 'assets'), { recursive: true });
  writeFileSync(join(buildDir, 'index.html'), INDEX);
  writeFileSync(join(buildDir, 'assets', 'index-AbC123.js'), 'export const app = 1;\n');
  writeFileSync(join(buildDir, 'assets', 'index-DeF456.css'), 'body{margin:0}\n');
  writeFileSync(join(buildDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(work, 'secret.txt'), 'outside the build');
  ({ template } = await loadTemplate());
  const bus = new LocalBus();
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  deps = localApiDeps({
    template,
    deps: {
      store: bed.store,
      email: { send: async () => ({ ok: false, retryable: false, error: 'not here' }) },
      sms: { send: async () => ({ ok: false, retryable: false, error: 'not here' }) },
      events: bus,
      clock: bed.clock,
      links: { unsubscribeBaseUrl: 'http://x/', unsubscribeSecret: 's' },
    },
    bus,
    dataDir,
    busBackoffMs: () => 0,
  });
  server = await startApiServer({ deps, template, port: 0, console: { dir: buildDir } });
  building = await startApiServer({
    deps,
    template,
    port: 0,
    console: new Promise((resolve) => {
      releaseBuild = resolve;
    }),
  });
});

afterAll(async () => {
  await server?.stop();
  await building?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the console on the local API port', () => {
  it('serves index.html for /console/ and app routes, revalidated, with the security headers', async () => {
    for (const path of ['/console/', '/console/index.html', '/console/campaigns/renewal']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control'), path).toBe(CACHE_CONTROL.revalidate);
      expect(res.headers.get('content-security-policy'), path).toBe(consoleCsp());
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(await res.text(), path).toBe(INDEX);
    }
  });

  it('redirects /console to /console/', async () => {
    const res = await fetch(`${server.url}/console`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it('serves hashed assets with their content types, immutable', async () => {
    const cases = [
      ['/console/assets/index-AbC123.js', /^text\/javascript/, CACHE_CONTROL.immutable],
      ['/console/assets/index-DeF456.css', /^text\/css/, CACHE_CONTROL.immutable],
      ['/console/favicon.svg', /^image\/svg\+xml/, CACHE_CONTROL.revalidate],
    ] as const;
    for (const [path, type, cache] of cases) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(type);
      expect(res.headers.get('cache-control'), path).toBe(cache);
    }
    const head = await fetch(`${server.url}/console/assets/index-AbC123.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('22');
  });

  it('answers config.json: the API on this origin, the local sign-in', async () => {
    const res = await fetch(`${server.url}/console/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe(CACHE_CONTROL.revalidate);
    expect(await res.json()).toEqual({ apiBase: '/console/v1', auth: { kind: 'local' } });
    expect(LOCAL_CONSOLE_CONFIG.apiBase).toBe('/console/v1');
  });

  it('never serves a file outside the build', async () => {
    for (const path of [
      '/console/../secret.txt',
      '/console/assets/../../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/..%2fsecret.txt',
      '/console/assets/..%5c..%5csecret.txt',
      '/console/assets%2f..%2f..%2fsecret.txt',
      '/console//etc/passwd',
      '/console/assets/\\..\\..\\secret.txt',
    ]) {
      const res = await rawGet(server.url, path);
      expect(res.body, path).not.toContain('outside the build');
      expect(res.body, path).not.toContain('root:');
      // A 404; the app's page where the path is an app route; or, where the URL parser resolved the
      // `..` out of /console, the API's refusal; a 400 from Node for a backslash: never the file.
      expect([200, 400, 403, 404], path).toContain(res.status);
      if (res.status === 200) expect(res.body, path).toBe(INDEX);
    }
  });

  it('answers 404 for a missing asset and 405 for a write', async () => {
    expect((await fetch(`${server.url}/console/assets/gone-123.js`)).status).toBe(404);
    const post = await fetch(`${server.url}/console/index.html`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves /console/v1/* and the API’s own paths to the API', async () => {
    for (const path of ['/console/v1/campaigns', '/v1/campaigns']) {
      // No credentials: the edge refuses, as API Gateway would; never the console's page.
      const res = await fetch(`${server.url}${path}`);
      expect([401, 403], path).toContain(res.status);
      expect(res.headers.get('content-type'), path).toMatch(/json/);
      expect(res.headers.get('content-security-policy'), path).toBeNull();
    }
    const openapi = await fetch(`${server.url}/openapi.json`);
    expect(openapi.status).toBe(200);
  });

  it('answers 503 while the build runs, the API meanwhile, and the build once it is there', async () => {
    const early = await fetch(`${building.url}/console/`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('2');
    expect((await fetch(`${building.url}/openapi.json`)).status).toBe(200);
    releaseBuild({ dir: buildDir });
    const deadline = Date.now() + 5_000;
    let status = 503;
    while (status === 503 && Date.now() < deadline) {
      status = (await fetch(`${building.url}/console/`)).status;
    }
    expect(status).toBe(200);
  });
});
