// The Hono app over a DynamoDB Local store with senders, bus and run starter that only count what
// they were asked to do: for tests that throw hostile input at every /v1 route and then check that
// nothing was written (store write units), sent, published or started.
import { createAdaptorServer } from '@hono/node-server';
import { createApp } from '../../../shared/api/app.js';
import type { ApiDeps } from '../../../shared/api/deps.js';
import type { DynamoStores } from '../../../shared/store/stores.js';

export interface HostileApp {
  app: ReturnType<typeof createApp>;
  /** Emails, SMS, bus events and runs started so far. */
  effects(): number;
  /** Write units the store consumed so far plus effects: equal before and after a refused request. */
  footprint(): { writes: number; effects: number };
  call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Response>;
}

export function hostileApp(store: DynamoStores, token: string): HostileApp {
  let effects = 0;
  const deps: ApiDeps = {
    store,
    email: {
      send: async () => {
        effects++;
        return { ok: true, providerMessageId: 'e' };
      },
    },
    sms: {
      send: async () => {
        effects++;
        return { ok: true, providerMessageId: 's' };
      },
    },
    events: { publish: async () => void effects++ },
    clock: { now: () => new Date('2026-11-26T08:00:00Z') },
    runs: {
      start: async () => {
        effects++;
        return { executionId: 'x' };
      },
      status: async () => undefined,
    },
    // POST /v1/imports hands out a URL (nothing is ever PUT to it here).
    uploads: { uploadUrl: async ({ job, origin }) => `${origin}/uploads/${job.id}` },
    log: { info: () => {}, error: () => {} },
    config: {
      opsToken: token,
      secretRolloverMs: 1,
      // Large enough that a 100,000-character id fits in a body.
      maxBodyBytes: 512 * 1024,
      unsubscribeSecret: 's',
      pseudonymKey: 'p',
    },
  };
  const app = createApp(deps);
  return {
    app,
    effects: () => effects,
    footprint: () => ({ writes: store.capacity.write, effects }),
    call: async (method, path, body, headers = {}) =>
      await app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        ...(body !== undefined && { body }),
      }),
  };
}

/** The app on a free local port, for a CLI under test to call with `--api`. */
export async function listen(app: HostileApp['app']): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname: '127.0.0.1' });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
