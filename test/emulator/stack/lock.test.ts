// The data dir's lock and DynamoDB Local's `jvm.lock`, with real processes: a lock whose holder died is
// taken over and what it names is stopped by its process group, but only a process that is still the
// one it started (same pid, start time and data dir in its command line); a live holder keeps it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from '../../../local/data-dir.js';
import { DynamoDbLocalBusyError, JVM_LOCK, startDynamoDbLocal } from '../../../local/dynamodb-local.js';
import { isGroupAlive, type SpawnedGroup, spawnGroup, stopGroup } from '../../../local/process-group.js';
import { identify } from '../../../local/process-identity.js';
import { jvmsOn, until } from './support.js';

let work: string;
const spawned: SpawnedGroup[] = [];
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-lock-'));
});
afterAll(async () => {
  for (const group of spawned) if (isGroupAlive(group.pid)) await stopGroup(group.pid);
  rmSync(work, { recursive: true, force: true });
});

/** A long-lived process in its own group whose command line names `dir`, as DynamoDB Local's does. */
function server(dir: string): SpawnedGroup {
  const group = spawnGroup(process.execPath, ['-e', 'setInterval(() => {}, 60_000)', dir]);
  spawned.push(group);
  return group;
}

/** The identity of a process that has exited: its pid names nobody now. */
async function deadProcess(): Promise<{ pid: number; pgid: number; startTime: string }> {
  const group = spawnGroup(process.execPath, ['-e', '']);
  const id = identify(group.pid);
  await group.exited;
  await until('it to be reaped', () => identify(group.pid) === undefined);
  return { pid: group.pid, pgid: group.pid, startTime: id?.startTime ?? 'gone' };
}

function writeLock(dataDir: string, holder: object, guards: object[]): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'lock'), JSON.stringify({ token: `t-${Date.now()}`, holder, guards }));
}

const guardOf = (group: SpawnedGroup, mark: string, change: { startTime?: string } = {}) => {
  const id = identify(group.pid);
  if (!id) throw new Error('the server is not running');
  return { role: 'test-server', mark, ...id, ...change };
};

describe('the data dir lock', () => {
  it('a lock whose holder was killed is taken over, and the process groups it names are stopped', async () => {
    const dataDir = join(work, 'stale');
    const left = server(dataDir);
    writeLock(dataDir, await deadProcess(), [guardOf(left, dataDir)]);

    const lock = await lockDataDir(dataDir, 1_000);
    // Stopped by a signal to its group before the lock was ours (only reaped by us, its parent, after).
    expect(identify(left.pid)).toBeUndefined();
    expect(await left.exited).toEqual({ code: null, signal: 'SIGTERM' });
    lock.release();
  });

  it('leaves alone a named process that is not the one started: another start time (a reused pid) or another data dir', async () => {
    const dataDir = join(work, 'not-ours');
    const reused = server(dataDir);
    const elsewhere = server(join(work, 'elsewhere'));
    writeLock(dataDir, await deadProcess(), [
      guardOf(reused, dataDir, { startTime: '1' }),
      guardOf(elsewhere, dataDir),
    ]);

    const lock = await lockDataDir(dataDir, 1_000);
    expect([isGroupAlive(reused.pid), isGroupAlive(elsewhere.pid)]).toEqual([true, true]);
    lock.release();
  });

  it('a live holder keeps it: the next taker waits, and is told who holds it', async () => {
    const dataDir = join(work, 'live');
    const holder = server(dataDir);
    const id = identify(holder.pid);
    writeLock(dataDir, { pid: holder.pid, pgid: holder.pid, startTime: id?.startTime }, []);
    const told: number[] = [];
    await expect(lockDataDir(dataDir, 300, (pid) => told.push(pid))).rejects.toThrow(DataDirBusyError);
    expect(told).toEqual([holder.pid]);
    expect(isGroupAlive(holder.pid)).toBe(true);
  });

  it("an older CLI's lock (a bare pid) of a dead process is taken over", async () => {
    const dataDir = join(work, 'legacy');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'lock'), String((await deadProcess()).pid));
    const lock = await lockDataDir(dataDir, 1_000);
    lock.release();
  });

  it('names each process started for the data dir as soon as it is spawned', async () => {
    const dataDir = join(work, 'names');
    const lock = await lockDataDir(dataDir, 1_000);
    const child = server(dataDir);
    lock.guard('test-server', child.pid);
    const record: unknown = JSON.parse(readFileSync(join(dataDir, 'lock'), 'utf8'));
    expect(record).toMatchObject({
      holder: { pid: process.pid, startTime: identify(process.pid)?.startTime },
      guards: [
        {
          role: 'test-server',
          pid: child.pid,
          pgid: child.pid,
          startTime: identify(child.pid)?.startTime,
          mark: dataDir,
        },
      ],
    });
    lock.release();
  });
});

describe("DynamoDB Local's jvm.lock", () => {
  it('refuses a second JVM on one database, also one that no lock names', async () => {
    const dbPath = join(work, 'db');
    const first = await startDynamoDbLocal({ dataDir: dbPath });
    try {
      await expect(startDynamoDbLocal({ dataDir: dbPath })).rejects.toThrow(DynamoDbLocalBusyError);
      // A JVM its lock does not name (an older version's, or one started by hand) is found all the same.
      rmSync(join(dbPath, JVM_LOCK));
      await expect(startDynamoDbLocal({ dataDir: dbPath })).rejects.toThrow(/started outside this lock/);
      expect(jvmsOn(dbPath)).toHaveLength(1);
    } finally {
      await first.stop();
    }
    const again = await startDynamoDbLocal({ dataDir: dbPath });
    await again.stop();
  });
});
