// The CLI's warm background stack: later commands attach to the first one's stack (one JVM per data
// dir), `touchpoint stop` and the idle timeout leave none of its processes alive, and a new data dir
// stops the least recently used stack instead of piling up JVMs.
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningOwner } from '../../../local/data-dir.js';
import { ensureLocalApi } from '../../../local/stack/client.js';
import { HEARTBEAT_FILE, stackEntry } from '../../../local/stack/registry.js';
import { cli, json } from '../cli/cli.js';
import { allGone, stackProcesses, until, withEnv } from './support.js';

let work: string;
const dirs: string[] = [];
const newDataDir = (name: string): string => {
  const dir = join(work, name);
  dirs.push(dir);
  return dir;
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-stack-'));
});
afterAll(async () => {
  for (const dataDir of dirs) await cli(['stop'], { dataDir });
  rmSync(work, { recursive: true, force: true });
});

describe('the background stack', () => {
  it('is started once: a second command attaches to the same process and JVM', async () => {
    const dataDir = newDataDir('attach');
    const first = await ensureLocalApi(dataDir);
    const owner = runningOwner(dataDir);
    expect(owner?.kind).toBe('stack');
    expect(owner?.apiUrl).toBe(first.url);
    // Tagged with this test run (global-setup.ts), whose teardown would stop it if we did not.
    expect(stackEntry(dataDir)?.tag).toMatch(/^vitest-\d+$/);

    const second = await ensureLocalApi(dataDir);
    expect(second).toEqual(first);
    expect(runningOwner(dataDir)?.pid).toBe(owner?.pid);
    expect(runningOwner(dataDir)?.groups).toEqual(owner?.groups);

    const answer = await fetch(`${second.url}/v1/deliveries`, {
      headers: { authorization: `Bearer ${second.token}` },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ deliveries: [] });
    const refused = await fetch(`${second.url}/v1/deliveries`);
    expect(refused.status).toBe(403);
  });

  it('touchpoint stop leaves no process of it alive, and says so when nothing runs', async () => {
    const dataDir = newDataDir('stop');
    await ensureLocalApi(dataDir);
    const owner = runningOwner(dataDir);
    if (!owner) throw new Error('no stack advertised');
    expect(stackProcesses(owner).every((p) => p.alive)).toBe(true);
    expect(owner.groups).toHaveLength(2);

    const stop = await cli(['stop', '--json'], { dataDir });
    expect(stop.code).toBe(0);
    expect(json(stop)).toMatchObject({ stopped: [{ pid: owner.pid, kind: 'stack' }], orphans: [] });
    expect(stackProcesses(owner)).toEqual(stackProcesses(owner).map((p) => ({ ...p, alive: false })));
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    expect(stackEntry(dataDir)).toBeUndefined();

    const again = await cli(['stop'], { dataDir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing was running');
  });

  it('stops itself after the idle timeout, JVM included', async () => {
    const dataDir = newDataDir('idle');
    await withEnv({ TOUCHPOINT_IDLE_SECONDS: '2' }, () => ensureLocalApi(dataDir));
    const owner = runningOwner(dataDir);
    if (!owner) throw new Error('no stack advertised');
    await until('the idle stack to stop', () => allGone(owner));
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
    expect(stackEntry(dataDir)).toBeUndefined();
  });

  it('stops itself when its JVM dies, so the next command starts a whole stack', async () => {
    const dataDir = newDataDir('jvm-died');
    // Idle 30 s: the stack checks its processes every 6 s, and is not idle yet when it notices.
    await withEnv({ TOUCHPOINT_IDLE_SECONDS: '30' }, () => ensureLocalApi(dataDir));
    const owner = runningOwner(dataDir);
    const jvm = owner?.groups?.[0];
    if (!owner || jvm === undefined) throw new Error('no stack advertised');
    process.kill(-jvm, 'SIGKILL');
    await until('the stack to notice and stop', () => allGone(owner));
    expect(readFileSync(join(dataDir, 'stack.log'), 'utf8')).toContain(`process group ${jvm} exited`);
    await ensureLocalApi(dataDir);
    expect(runningOwner(dataDir)?.pid).not.toBe(owner.pid);
  });

  it('after a stack was killed hard, the next command stops its orphans and starts a whole one', async () => {
    const dataDir = newDataDir('killed');
    await ensureLocalApi(dataDir);
    const owner = runningOwner(dataDir);
    if (!owner) throw new Error('no stack advertised');
    process.kill(owner.pid, 'SIGKILL');
    await until('the stack process to die', () => runningOwner(dataDir) === undefined);
    // Its JVM and mail server outlive it (SIGKILL runs no cleanup).
    expect(
      stackProcesses(owner)
        .slice(1)
        .every((p) => p.alive),
    ).toBe(true);

    await ensureLocalApi(dataDir);
    expect(allGone(owner)).toBe(true);
    expect(runningOwner(dataDir)?.pid).not.toBe(owner.pid);
  });

  it('a stack for another data dir stops the least recently used one beyond the cap', async () => {
    const first = newDataDir('lru-a');
    const second = newDataDir('lru-b');
    await withEnv({ TOUCHPOINT_MAX_STACKS: '1' }, async () => {
      await ensureLocalApi(first);
      const firstOwner = runningOwner(first);
      if (!firstOwner) throw new Error('no stack advertised');
      // Last used a minute ago: a stack used within BUSY_MS is spared, whatever the cap.
      const aMinuteAgo = new Date(Date.now() - 60_000);
      utimesSync(join(first, HEARTBEAT_FILE), aMinuteAgo, aMinuteAgo);
      await ensureLocalApi(second);
      expect(allGone(firstOwner)).toBe(true);
      expect(runningOwner(second)?.kind).toBe('stack');
    });
  });
});
