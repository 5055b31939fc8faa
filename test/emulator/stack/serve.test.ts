// `serve` owns its data dir in the foreground: a background stack of that data dir steps aside when
// it starts, and `touchpoint stop` stops serve too, with its JVM.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, runningOwner } from '../../../local/data-dir.js';
import { isGroupAlive, type SpawnedGroup, spawnGroup, stopGroup } from '../../../local/process-group.js';
import { ensureLocalApi } from '../../../local/stack/client.js';
import { BIN, cli } from '../cli/cli.js';
import { allGone, until } from './support.js';

let work: string;
let serve: SpawnedGroup | undefined;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-serve-stop-'));
});
afterAll(async () => {
  if (serve && isGroupAlive(serve.pid)) await stopGroup(serve.pid);
  await cli(['stop'], { dataDir: join(work, 'data') });
  rmSync(work, { recursive: true, force: true });
});

/** Processes whose command line names this directory: read from /proc only to check, never to kill. */
const processesUsing = (dir: string): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);

describe('serve and the background stack', () => {
  it('serve replaces the stack, and stop ends serve and its JVM', async () => {
    const dataDir = join(work, 'data');
    await ensureLocalApi(dataDir);
    const stack = runningOwner(dataDir);
    if (!stack) throw new Error('no stack advertised');

    const group = spawnGroup(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir]);
    serve = group;
    await until('serve to print its API line', () => {
      if (group.child.exitCode !== null) throw new Error(`serve exited early:\n${group.output()}`);
      return /^API http:\/\/127\.0\.0\.1:\d+$/m.test(group.output());
    });
    expect(allGone(stack)).toBe(true);
    expect(runningOwner(dataDir)?.pid).toBe(group.pid);
    expect(processesUsing(join(dataDir, 'dynamodb'))).toHaveLength(1);

    const stop = await cli(['stop'], { dataDir });
    expect(stop.stdout).toContain(`Stopped the serve (pid ${group.pid})`);
    expect(isProcessAlive(group.pid)).toBe(false);
    await until('the JVM to be reaped', () => processesUsing(join(dataDir, 'dynamodb')).length === 0, 15_000);
  });
});
