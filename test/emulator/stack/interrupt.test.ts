// Ctrl-C on a command (SIGINT to the terminal's foreground process group) never reaches the
// background stack: a stack that is up keeps running, and one being started by the interrupted
// command still comes up, advertised and registered, so `stop` and the idle timeout still find it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningOwner } from '../../../local/data-dir.js';
import { stackEntry } from '../../../local/stack/registry.js';
import { BIN, cli } from '../cli/cli.js';
import { allGone, stackProcesses, until } from './support.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-interrupt-'));
});
afterAll(async () => {
  await cli(['stop'], { dataDir: join(work, 'data') });
  rmSync(work, { recursive: true, force: true });
});

/** Starts a command in a process group of its own, as a shell does for a foreground job. */
function foreground(args: string[], dataDir: string) {
  const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], {
    cwd: resolve(import.meta.dirname, '../../..'),
    detached: true,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the CLI');
  return { ctrlC: () => process.kill(-pid, 'SIGINT'), exited };
}

describe('Ctrl-C on a command', () => {
  it('interrupting the command that starts the stack leaves a whole, findable stack', async () => {
    const dataDir = join(work, 'data');
    const job = foreground(['deliveries', '--json'], dataDir);
    await until('the command to spawn the stack', () => stackEntry(dataDir) !== undefined);
    job.ctrlC();
    await job.exited;
    await until('the stack to come up', () => {
      const owner = runningOwner(dataDir);
      return owner !== undefined && !owner.starting;
    });
    const owner = runningOwner(dataDir);
    if (!owner) throw new Error('no stack advertised');
    expect(stackProcesses(owner).every((p) => p.alive)).toBe(true);
    expect(stackEntry(dataDir)?.pid).toBe(owner.pid);

    // Interrupting a command talking to the running stack leaves it as it was.
    const next = foreground(['plan', '--date', '2026-11-26', '--json'], dataDir);
    next.ctrlC();
    await next.exited;
    expect(runningOwner(dataDir)).toEqual(owner);
    expect(stackProcesses(owner).every((p) => p.alive)).toBe(true);
    expect((await cli(['deliveries', '--json'], { dataDir })).code).toBe(0);

    expect((await cli(['stop'], { dataDir })).code).toBe(0);
    expect(allGone(owner)).toBe(true);
  });
});
