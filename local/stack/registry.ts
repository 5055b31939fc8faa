// Every background stack on this machine, one small file each under the OS temp dir, so starting a
// stack for one more data dir can stop the least recently used ones instead of piling up JVMs.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { isProcessAlive } from '../data-dir.js';
import { identify, isSameProcess } from '../process-identity.js';

const entrySchema = z.object({
  dataDir: z.string(),
  pid: z.number().int(),
  /** The stack process's start time (process-identity.ts): a reused pid is not the stack. */
  startTime: z.string().optional(),
  startedAt: z.string(),
  /** TOUCHPOINT_STACK_TAG of whoever started it: lets a test run find the stacks it left behind. */
  tag: z.string().optional(),
});
export type StackEntry = z.infer<typeof entrySchema>;

/** The file in a data dir whose mtime says when a command last used its stack. */
export const HEARTBEAT_FILE = 'stack-heartbeat';

// Per user: another user's stacks are not ours to stop (nor could we).
export const registryDir = (): string => join(tmpdir(), `touchpoint-stacks-${userInfo().uid}`);

const entryPath = (dataDir: string): string =>
  join(registryDir(), `${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.json`);

/** The tag to record for a stack started from this environment (see StackEntry.tag). */
export const stackTag = (env: NodeJS.ProcessEnv = process.env): { tag?: string } =>
  env.TOUCHPOINT_STACK_TAG ? { tag: env.TOUCHPOINT_STACK_TAG } : {};

/** Whether the registered stack process still runs (not another process given its pid later). */
export const isEntryAlive = (entry: StackEntry): boolean =>
  entry.startTime === undefined
    ? isProcessAlive(entry.pid)
    : isSameProcess({ pid: entry.pid, startTime: entry.startTime });

export function registerStack(entry: StackEntry): void {
  // It lists data dirs (paths that may name people or projects): the user's alone.
  mkdirSync(registryDir(), { recursive: true, mode: 0o700 });
  const startTime = entry.startTime ?? identify(entry.pid)?.startTime;
  writeFileSync(entryPath(entry.dataDir), JSON.stringify({ ...entry, ...(startTime && { startTime }) }), {
    mode: 0o600,
  });
}

/** Removes the data dir's entry if it is still the given process's. */
export function unregisterStack(dataDir: string, pid: number): void {
  if (stackEntry(dataDir)?.pid === pid) rmSync(entryPath(dataDir), { force: true });
}

export function stackEntry(dataDir: string): StackEntry | undefined {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(readFileSync(entryPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Live stacks; entries of dead processes are removed on the way. */
export function liveStacks(): StackEntry[] {
  let names: string[];
  try {
    names = readdirSync(registryDir()).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const live: StackEntry[] = [];
  for (const name of names) {
    const path = join(registryDir(), name);
    let parsed: ReturnType<typeof entrySchema.safeParse>;
    try {
      parsed = entrySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    } catch {
      continue; // being written right now, or not ours to judge
    }
    if (parsed.success && isEntryAlive(parsed.data)) live.push(parsed.data);
    else if (parsed.success) rmSync(path, { force: true });
  }
  return live;
}

/** Marks the data dir's stack as used now (the idle timeout counts from the latest use). */
export function touchHeartbeat(dataDir: string): void {
  const path = join(dataDir, HEARTBEAT_FILE);
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, '', { mode: 0o600 });
  }
}

export function lastUsedMs(dataDir: string): number {
  try {
    return statSync(join(dataDir, HEARTBEAT_FILE)).mtimeMs;
  } catch {
    return 0;
  }
}

/** A stack used within this long is busy: never evicted (a command may be talking to it right now). */
export const BUSY_MS = 30_000;

/**
 * Which running stacks to stop before starting one for `dataDir`, so that at most `max` run
 * afterwards: the least recently used ones of other data dirs, started under the same tag (a test
 * run never stops another run's stacks). Busy ones are spared, so the cap may be exceeded while
 * more than `max` are in use.
 */
export function stacksToEvict<T extends { dataDir: string; lastUsedMs: number; tag?: string | undefined }>(
  running: readonly T[],
  self: { dataDir: string; tag?: string | undefined },
  max: number,
  now: number,
): T[] {
  const others = running
    .filter((s) => s.dataDir !== self.dataDir && s.tag === self.tag)
    .sort((a, b) => b.lastUsedMs - a.lastUsedMs || a.dataDir.localeCompare(b.dataDir));
  return others.slice(Math.max(0, max - 1)).filter((s) => now - s.lastUsedMs >= BUSY_MS);
}
