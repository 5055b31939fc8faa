// `touchpoint serve` as a user runs it: a subprocess that prints its API line, a second CLI process
// that attaches to it (partner add, import), a signed webhook over real HTTP, then SIGTERM to the
// serve process group, after which neither serve nor anything it started (the DynamoDB Local JVM,
// the local SES server) may be left running.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isGroupAlive, type SpawnedGroup, spawnGroup, stopGroup } from '../../../local/process-group.js';
import { EXAMPLES } from '../../support/examples.js';
import { BIN, cli, json } from '../cli/cli.js';

let dataDir: string;
let serve: SpawnedGroup | undefined;

/** Live processes whose parent is `pid` (Linux /proc), recursively. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The ppid is the 2nd field after the parenthesized command name, which may contain spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(state); // a zombie is gone, only not reaped yet
  } catch {
    return false;
  }
};

async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-serve-'));
});

afterAll(async () => {
  if (serve && isGroupAlive(serve.pid)) await stopGroup(serve.pid);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('touchpoint serve', () => {
  it('serves signed webhooks on the advertised port and stops everything on SIGTERM', async () => {
    const group = spawnGroup(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
      env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined },
    });
    serve = group;
    let apiUrl: string | undefined;
    await eventually(
      () => {
        apiUrl = /^API (http:\/\/127\.0\.0\.1:\d+)$/m.exec(group.output())?.[1];
        if (!apiUrl && group.child.exitCode !== null)
          throw new Error(`serve exited early:\n${group.output()}`);
        return apiUrl !== undefined;
      },
      'the API line',
      120_000,
    );
    const started = descendants(group.pid);
    expect(started.length).toBeGreaterThan(0); // at least the JVM and the SES server

    const added = z
      .object({ id: z.literal('acme'), secret: z.string().regex(/^whsec_/) })
      .parse(json(await cli(['partner', 'add', 'acme', '--json'], { dataDir })));
    expect((await cli(['partner', 'add', 'acme'], { dataDir })).code).toBe(1);
    expect((await cli(['import', 'customers', join(EXAMPLES, 'customers.ndjson')], { dataDir })).code).toBe(
      0,
    );
    const listed = await cli(['partner', 'list', '--json'], { dataDir });
    expect(listed.stdout).not.toContain(added.secret);
    expect(json(listed)).toMatchObject({ partners: [{ id: 'acme', validSecrets: 1 }], count: 1 });

    const body = JSON.stringify({
      id: 'ev-serve-1',
      customerId: 'c-1001',
      type: 'app.login',
      occurredAt: new Date().toISOString(),
    });
    const now = new Date();
    const post = (webhookId: string) =>
      fetch(`${apiUrl}/webhooks/acme`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': webhookId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': new Webhook(added.secret).sign(webhookId, now, body),
        },
      });
    const res = await post('msg-1');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'accepted', eventId: 'ev-serve-1', duplicate: false });
    expect(await (await post('msg-1')).json()).toEqual({ status: 'accepted', duplicate: true });
    // The local bus recorded the event once (the replay published nothing).
    const busLines = readFileSync(join(dataDir, 'events.ndjson'), 'utf8').trim().split('\n');
    expect(busLines.filter((l) => l.includes('ev-serve-1'))).toHaveLength(1);

    // Over real HTTP (the socket's address as the client): an unsigned flood is answered 401, then
    // 429 by the client's failure budget, and the partner's next genuine request is still accepted.
    const unsigned = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${apiUrl}/webhooks/acme`, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': `flood-${i}`,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': 'v1,AAAA',
          },
        }).then((r) => r.status),
      ),
    );
    expect(new Set(unsigned)).toEqual(new Set([401, 429]));
    expect((await post('msg-2')).status).toBe(202);

    process.kill(-group.pid, 'SIGTERM');
    const exit = await Promise.race([
      group.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('serve did not exit within 30 s')), 30_000),
      ),
    ]);
    expect(exit.code !== null || exit.signal !== null).toBe(true);
    await eventually(
      () => started.every((pid) => !alive(pid)),
      `the processes serve started (${started.join(', ')}) to stop`,
    );
    expect(readdirSync(dataDir)).not.toContain('runtime.json');
  });
});
