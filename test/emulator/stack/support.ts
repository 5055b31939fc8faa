// Helpers for the warm-stack tests: poll with a deadline, and check that a stack's processes are gone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, type RuntimeInfo } from '../../../local/data-dir.js';
import { isGroupAlive } from '../../../local/process-group.js';

export async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The stack process and every process group it advertised (DynamoDB Local's JVM, the SES server). */
export function stackProcesses(owner: RuntimeInfo): { pid: number; alive: boolean }[] {
  return [
    { pid: owner.pid, alive: isProcessAlive(owner.pid) || isGroupAlive(owner.pid) },
    ...(owner.groups ?? []).map((pid) => ({ pid, alive: isGroupAlive(pid) })),
  ];
}

export const allGone = (owner: RuntimeInfo): boolean => stackProcesses(owner).every((p) => !p.alive);

/** Runs `fn` with extra environment variables, restoring the previous values after. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A process as /proc shows it: read to check, never to pick what to kill. */
export interface ProcSample {
  pid: number;
  pgid: number;
  /** /proc/<pid>/stat field 22: a reused pid has another. */
  startTime: string;
  args: string[];
}

function sample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined; // exited, waiting to be reaped
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, pgid: Number(fields[2]), startTime: fields[19] ?? '', args };
  } catch {
    return undefined;
  }
}

/** Running processes one of whose arguments is `dir` or a path inside it. */
export function processesOn(dir: string): ProcSample[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .map((name) => sample(Number(name)))
    .filter((p): p is ProcSample => p !== undefined)
    .filter((p) => p.args.some((arg) => arg === dir || arg.startsWith(`${dir}/`)));
}

/** DynamoDB Local JVMs on the data dir's database. */
export const jvmsOn = (dataDir: string): ProcSample[] =>
  processesOn(dataDir).filter((p) => p.args.some((arg) => arg.endsWith('DynamoDBLocal.jar')));

/** Local email servers keeping the data dir's mail. */
export const emailServersOn = (dataDir: string): ProcSample[] =>
  processesOn(dataDir).filter((p) => p.args.some((arg) => arg.endsWith('ses-local-server.mjs')));

/** Whether the sampled process still runs (same pid and start time, not a zombie). */
export const stillRunning = (p: ProcSample): boolean => sample(p.pid)?.startTime === p.startTime;

/**
 * Counts the JVMs on a data dir every few milliseconds until `stop`, which resolves to the most seen
 * at once (a poll, not a sleep: each sample is read, then the next is scheduled).
 */
export function watchJvms(dataDir: string): { stop(): Promise<number> } {
  let most = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      most = Math.max(most, jvmsOn(dataDir).length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return Math.max(most, jvmsOn(dataDir).length);
    },
  };
}

/** Paths under `dir` (itself included) that its group or others may read, write or enter. */
export function notPrivate(dir: string): string[] {
  const loose: string[] = [];
  const walk = (path: string): void => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      return; // a temporary file renamed meanwhile
    }
    if ((stat.mode & 0o077) !== 0) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return loose;
}
