// The data dir holds the embedded store between commands, with personal data and keys: it is private
// to its user (0700, files 0600). One process at a time owns it (runs the JVM on its files) and holds
// its lock, which names the process groups it started (pid-lock.ts), so the next command stops what a
// holder killed hard left running; a long-lived owner (`serve`, `npm start`) advertises its endpoints
// so other commands use them instead of waiting.
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type Guard, type HeldLock, tryLock, waitForLock } from './pid-lock.js';
import { identify, isSameProcess } from './process-identity.js';

export const DEFAULT_DATA_DIR = '.touchpoint';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.TOUCHPOINT_DATA_DIR ?? DEFAULT_DATA_DIR);
}

/** Names only a data dir of ours holds: a directory with none of them (and not empty) is not ours to chmod. */
const DATA_DIR_MARKS = ['dynamodb', 'runtime.json', 'keys', 'lock', 'stack.log'];

/**
 * Creates the data dir private to its user, and makes one an older version left world-readable
 * private too, so whatever is inside is out of other users' reach. A directory that is not a data
 * dir (`--data-dir /tmp` by mistake: sticky, or holding none of its files) keeps its mode.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { mode, uid } = statSync(dir);
  if ((mode & 0o077) === 0 || (mode & 0o1000) !== 0) return;
  if (process.getuid !== undefined && uid !== process.getuid()) return;
  const names = readdirSync(dir);
  if (names.length === 0 || names.some((name) => DATA_DIR_MARKS.includes(name))) chmodSync(dir, 0o700);
}

const runtimeFile = z.object({
  pid: z.number().int(),
  /** The owner's start time (process-identity.ts): a reused pid is not the owner. */
  startTime: z.string().optional(),
  ddbEndpoint: z.string().url(),
  sesEndpoint: z.string().url().optional(),
  smsEndpoint: z.string().url().optional(),
  mailboxUrl: z.string().url().optional(),
  smsPageUrl: z.string().url().optional(),
  apiUrl: z.string().url().optional(),
  /** `stack`: the CLI's detached background stack; absent: a foreground owner (serve, npm start). */
  kind: z.enum(['stack', 'serve']).optional(),
  /** True while the owner is still starting (its API does not answer yet). */
  starting: z.boolean().optional(),
  /** Process groups the owner spawned (JVM, SES), so `stop` can clean up after an owner killed hard. */
  groups: z.array(z.number().int()).optional(),
});
export type RuntimeInfo = z.infer<typeof runtimeFile>;

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`the data dir ${dataDir} is in use by process ${pid}; waited too long for it`);
    this.name = 'DataDirBusyError';
  }
}

export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e instanceof Error && 'code' in e && e.code === 'EPERM';
  }
};

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** What runtime.json says, whether or not its owner still lives (`stop` cleans up after dead ones). */
export function advertisedOwner(dataDir: string): RuntimeInfo | undefined {
  const parsed = runtimeFile.safeParse(readJson(join(dataDir, 'runtime.json')));
  return parsed.success ? parsed.data : undefined;
}

/** Whether the advertised owner still runs (its start time tells it from a process given its pid later). */
export const isOwnerAlive = (owner: Pick<RuntimeInfo, 'pid' | 'startTime'>): boolean =>
  owner.startTime === undefined
    ? isProcessAlive(owner.pid)
    : isSameProcess({ pid: owner.pid, startTime: owner.startTime });

/** The endpoints of a live long-lived owner of this data dir, if there is one. */
export function runningOwner(dataDir: string): RuntimeInfo | undefined {
  const owner = advertisedOwner(dataDir);
  return owner && isOwnerAlive(owner) ? owner : undefined;
}

export function advertiseOwner(dataDir: string, info: RuntimeInfo): () => void {
  const path = join(dataDir, 'runtime.json');
  // Write then rename: a command reading it meanwhile sees the old file or the new, never half.
  const temp = `${path}.${process.pid}.tmp`;
  const startTime = info.startTime ?? identify(info.pid)?.startTime;
  writeFileSync(temp, JSON.stringify({ ...info, ...(startTime && { startTime }) }, null, 2), { mode: 0o600 });
  renameSync(temp, path);
  // Only our own advertisement is ours to remove.
  return () => {
    if (advertisedOwner(dataDir)?.pid === info.pid) rmSync(path, { force: true });
  };
}

/** The data dir's lock: who owns it and the process groups it started for it. */
export interface DataDirLock {
  /** Names a process group started for the data dir (right after spawning it, before any await). */
  guard(role: string, pid: number): void;
  release(): void;
}

const LOCK_FILE = 'lock';

const dataDirLock = (dataDir: string, held: HeldLock): DataDirLock => ({
  // Every process started for a data dir has the data dir's path in its command line.
  guard: (role, pid) => held.guard(role, pid, dataDir),
  release: () => held.release(),
});

/**
 * Takes the data dir's lock. A lock whose holder died is taken over, and the process groups it names
 * that are still running (and still ours) are stopped first; a live holder is waited for, polling, up
 * to `waitMs` (`onBusy` is told its pid once).
 */
export async function lockDataDir(
  dataDirArg: string,
  waitMs = 10 * 60_000,
  onBusy?: (pid: number) => void,
): Promise<DataDirLock> {
  const dataDir = resolve(dataDirArg);
  ensurePrivateDir(dataDir);
  const attempt = await waitForLock(join(dataDir, LOCK_FILE), {
    purpose: dataDir,
    waitMs,
    ...(onBusy && { onBusy }),
  });
  if (!('held' in attempt)) throw new DataDirBusyError(dataDir, attempt.busy);
  return dataDirLock(dataDir, attempt.held);
}

/**
 * What `stop` does for a data dir whose lock holder died: stops the process groups that holder left
 * running and removes its lock. A live holder is left alone. Returns what was stopped.
 */
export async function reapDataDir(dataDirArg: string): Promise<Guard[]> {
  const dataDir = resolve(dataDirArg);
  const path = join(dataDir, LOCK_FILE);
  let present = true;
  try {
    statSync(path);
  } catch {
    present = false;
  }
  if (!present) return [];
  const attempt = await tryLock(path, { purpose: dataDir });
  if (!('held' in attempt)) return [];
  attempt.held.release();
  return attempt.stopped;
}

/**
 * Empties the data dir for a fresh start (`npm start`), keeping only its lock, which the caller holds:
 * nothing is removed from under a process that still uses it.
 */
export function clearDataDir(_lock: DataDirLock, dataDirArg: string): void {
  const dataDir = resolve(dataDirArg);
  for (const name of readdirSync(dataDir)) {
    if (name === LOCK_FILE) continue;
    rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}
