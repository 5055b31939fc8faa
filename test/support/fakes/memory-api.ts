// The ops app over in-memory stores, with senders, bus and run starter that accept and do nothing:
// for unit tests of a route's mapping (problems, statuses) without DynamoDB Local.
import { createApp } from '../../../shared/api/app.js';
import { manualClock, memoryStores } from './memory-stores.js';

export const MEMORY_API_TOKEN = 'test-token';

export function memoryApi(at = '2026-11-26T09:00:00Z') {
  const clock = manualClock(at);
  const store = memoryStores(clock);
  const api = createApp({
    store,
    email: { send: async () => ({ ok: true, providerMessageId: 'e' }) },
    sms: { send: async () => ({ ok: true, providerMessageId: 's' }) },
    events: { publish: async () => undefined },
    clock,
    runs: { start: async () => ({ executionId: 'x' }), status: async () => undefined },
    log: { info: () => undefined, error: () => undefined },
    config: {
      opsToken: MEMORY_API_TOKEN,
      secretRolloverMs: 86_400_000,
      maxBodyBytes: 1_000_000,
      unsubscribeSecret: 'u'.repeat(32),
      pseudonymKey: 'p'.repeat(32),
    },
  });
  /** A request with the ops token and the given content type. */
  const call = (method: string, path: string, body: string, contentType = 'application/json') =>
    api.request(path, {
      method,
      headers: { authorization: `Bearer ${MEMORY_API_TOKEN}`, 'content-type': contentType },
      body,
    });
  return { store, clock, api, call };
}
