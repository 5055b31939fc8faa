// A benchmark killed from outside (SIGKILL, a CI timeout) left its in-memory DynamoDB Local JVM
// running with nobody to stop it. Now a watchdog kills the JVM's group once its launcher is gone.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from './support.js';

/** Running, not a zombie: a killed orphan may wait a while for whoever reaps it here. */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

const LAUNCHER = `
import { startDynamoDbLocal } from './local/dynamodb-local.ts';
import { startSesLocal } from './local/ses-local.ts';
const [db, ses] = await Promise.all([startDynamoDbLocal(), startSesLocal()]);
console.log(String(db.pid), String(ses.pid));
setInterval(() => {}, 1 << 30);
`;

describe('an in-memory DynamoDB Local and an email server whose launcher is killed', () => {
  it('is stopped, group and all, without the launcher running any cleanup', async () => {
    const launcher = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', LAUNCHER], {
      cwd: resolve(import.meta.dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    launcher.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    await until('the launcher to print the pids', () => /^\d+ \d+\n/.test(out), 90_000);
    const [jvm, ses] = out.trim().split(' ').map(Number);
    if (jvm === undefined || ses === undefined) throw new Error(`no pids in ${out}`);
    expect([alive(jvm), alive(ses)]).toEqual([true, true]);
    launcher.kill('SIGKILL');
    await until('the JVM and the email server to be gone', () => !alive(jvm) && !alive(ses), 30_000);
    expect([alive(jvm), alive(ses)]).toEqual([false, false]);
  });
});
