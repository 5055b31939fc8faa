// Where a command without --api sends its requests: the data dir's local API (a running `serve`,
// or the warm background stack, started on first use), the same Hono app as in the cloud, so the
// CLI has one client surface whatever it talks to.
import type { RemoteTarget } from '../context.js';

export async function localApi(dataDir: string): Promise<RemoteTarget> {
  // Imported on use: --api commands never need the stack's client.
  const { ensureLocalApi } = await import('../../stack/client.js');
  const { url, token } = await ensureLocalApi(dataDir);
  return { url, token };
}
