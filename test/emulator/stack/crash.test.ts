// What a crash leaves behind. A command that owns its data dir (`npm start` and `serve` in the
// foreground, the background stack) and is killed with SIGKILL runs no cleanup: its JVM and email
// server, each in a process group of its own, outlive it. The data dir's lock names them (pid,
// process group, start time); the next command checks they are still ours and stops them before it
// starts its own, so two JVMs never run on one data dir.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir, runningOwner } from '../../../local/data-dir.js';
import { isGroupAlive, type SpawnedGroup, spawnGroup, stopGroup } from '../../../local/process-group.js';
import { stackEntry } from '../../../local/stack/registry.js';
import { BIN, cli } from '../cli/cli.js';
import {
  emailServersOn,
  jvmsOn,
  notPrivate,
  processesOn,
  stillRunning,
  until,
  watchJvms,
} from './support.js';

const ROOT = resolve(import.meta.dirname, '../../..');
let work: string;
const dataDirs: string[] = [];
const spawned: SpawnedGroup[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-crash-'));
});
afterAll(async () => {
  for (const group of spawned) if (isGroupAlive(group.pid)) await stopGroup(group.pid);
  for (const dataDir of dataDirs) await cli(['stop'], { dataDir });
  // Should a test fail half way, what it left on this run's own temp dir is stopped by its group.
  for (const p of processesOn(work)) {
    try {
      process.kill(-p.pgid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/** A data dir of this run; `touchpoint stop` runs on it after the tests. */
const dataDirFor = (...parts: string[]): string => {
  const dir = join(work, ...parts);
  dataDirs.push(dir);
  return dir;
};

/** The CLI in a process group of its own, as a shell starts a foreground job. */
function start(args: string[], dataDir: string): SpawnedGroup {
  const group = spawnGroup(process.execPath, [BIN, ...args, '--data-dir', dataDir], { cwd: ROOT });
  spawned.push(group);
  return group;
}

/** Waits until the command owns `dataDir` with its JVM and email server up. */
async function owning(command: SpawnedGroup, dataDir: string): Promise<void> {
  await until('the command to own the data dir, its JVM and email server up', () => {
    if (command.child.exitCode !== null) throw new Error(`it exited early:\n${command.output()}`);
    return (
      runningOwner(dataDir)?.pid === command.pid &&
      jvmsOn(dataDir).length === 1 &&
      emailServersOn(dataDir).length === 1
    );
  });
}

/** Kills the command with SIGKILL; the JVM and email servers running on the data dir at that moment. */
async function killHard(command: { pid: number; exited: Promise<unknown> }, dataDir: string) {
  process.kill(command.pid, 'SIGKILL');
  await command.exited;
  const left = [...jvmsOn(dataDir), ...emailServersOn(dataDir)];
  // SIGKILL runs no cleanup: both outlive it, each in its own process group.
  expect(left.map((p) => p.args.some((a) => a.endsWith('DynamoDBLocal.jar')))).toEqual([true, false]);
  expect(left.every(stillRunning)).toBe(true);
  return left;
}

describe('after a command that owned the data dir was killed with -9', () => {
  it.each([
    { name: 'npm start (the demo runs the state machine itself)', args: ['demo', '--once'], sub: 'demo' },
    { name: 'serve', args: ['serve', '--port', '0'], sub: undefined },
  ])(
    'kill -9 of a standalone run leaves no DynamoDB Local or email server running once the next command has started: $name',
    async ({ args, sub }) => {
      const base = join(work, `standalone-${args[0]}`);
      const dataDir = sub ? dataDirFor(`standalone-${args[0]}`, sub) : dataDirFor(`standalone-${args[0]}`);
      const owner = start(args, base);
      await owning(owner, dataDir);
      const left = await killHard(owner, dataDir);

      const next = await cli(['deliveries', '--json'], { dataDir });
      expect(next.code, next.stderr).toBe(0);
      expect(left.filter(stillRunning)).toEqual([]);
      // One JVM and one email server: the new stack's.
      expect(jvmsOn(dataDir)).toHaveLength(1);
      expect(emailServersOn(dataDir)).toHaveLength(1);
    },
  );

  it('the warm stack killed with -9 while it starts is cleaned up the same way by the next command', async () => {
    const dataDir = dataDirFor('stack-killed');
    const first = start(['deliveries', '--json'], dataDir);
    // Killed as soon as its JVM is spawned: before it advertises anything in runtime.json.
    await until('the stack to spawn its JVM and email server', () => {
      if (first.child.exitCode !== null) throw new Error(`the command exited early:\n${first.output()}`);
      return jvmsOn(dataDir).length === 1 && emailServersOn(dataDir).length === 1;
    });
    const stack = stackEntry(dataDir);
    if (!stack) throw new Error('no stack registered');
    const stackExited = until('the stack process to be gone', () =>
      processesOn(dataDir).every((p) => p.pid !== stack.pid),
    );
    const left = await killHard({ pid: stack.pid, exited: stackExited }, dataDir);
    await first.exited;

    const next = await cli(['deliveries', '--json'], { dataDir });
    expect(next.code, next.stderr).toBe(0);
    expect(left.filter(stillRunning)).toEqual([]);
    expect(jvmsOn(dataDir)).toHaveLength(1);
    expect(runningOwner(dataDir)?.pid).not.toBe(stack.pid);
  });
});

describe('two commands on one data dir never run two JVMs', () => {
  it('two commands on one data dir never run two JVMs: two commands at once after a crash', async () => {
    const dataDir = dataDirFor('after-crash');
    const serve = start(['serve', '--port', '0'], dataDir);
    await owning(serve, dataDir);
    const left = await killHard(serve, dataDir);

    const watch = watchJvms(dataDir);
    const [deliveries, campaigns] = await Promise.all([
      cli(['deliveries', '--json'], { dataDir }),
      cli(['campaign', 'list', '--json'], { dataDir }),
    ]);
    const most = await watch.stop();
    expect([deliveries.code, campaigns.code], `${deliveries.stderr}\n${campaigns.stderr}`).toEqual([0, 0]);
    expect(most).toBe(1);
    expect(left.filter(stillRunning)).toEqual([]);
    expect(jvmsOn(dataDir)).toHaveLength(1);
  });

  it('two commands on one data dir never run two JVMs: npm start waits for the lock before it empties the data dir', async () => {
    const base = join(work, 'demo-waits');
    const dataDir = dataDirFor('demo-waits', 'demo');
    // This test process holds the demo's data dir, as another `npm start` running its demo would.
    const lock = await lockDataDir(dataDir, 1_000);
    try {
      writeFileSync(join(dataDir, 'kept'), 'still here');
      const demo = start(['demo', '--once'], base);
      await until('the demo to wait for the lock', () => {
        if (demo.child.exitCode !== null) throw new Error(`the demo exited:\n${demo.output()}`);
        return demo.output().includes(`waiting for process ${process.pid}, which holds ${dataDir}`);
      });
      expect(readFileSync(join(dataDir, 'kept'), 'utf8')).toBe('still here');
      expect(jvmsOn(dataDir)).toEqual([]);
      await stopGroup(demo.pid);
    } finally {
      lock.release();
    }
  });

  it('two commands on one data dir never run two JVMs: npm start while the background stack of its data dir runs', async () => {
    const base = join(work, 'demo-over-stack');
    const dataDir = dataDirFor('demo-over-stack', 'demo');
    expect((await cli(['deliveries', '--json'], { dataDir })).code).toBe(0);
    const stackJvm = jvmsOn(dataDir);
    expect(stackJvm).toHaveLength(1);

    const watch = watchJvms(dataDir);
    const demo = start(['demo', '--once'], base);
    const exit = await demo.exited;
    const most = await watch.stop();
    expect(exit.code, demo.output()).toBe(0);
    expect(most).toBe(1);
    expect(stackJvm.filter(stillRunning)).toEqual([]);
    // What the stack and the demo wrote there (the database, messages, logs, keys) is the user's alone.
    expect(notPrivate(dataDir)).toEqual([]);
  }, 240_000); // a whole demo run after the stack stops: ~30 s idle, several times that under load
});

describe('the data dir', () => {
  it('is private to its user (0700, files 0600), also one an older version left readable', async () => {
    const dataDir = dataDirFor('private');
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    expect((await cli(['partner', 'add', 'acme', '--json'], { dataDir })).code).toBe(0);
    expect((await cli(['deliveries', '--json'], { dataDir })).code).toBe(0);
    expect(notPrivate(dataDir)).toEqual([]);
  });
});
