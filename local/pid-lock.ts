// A lock file that names its holder and the process groups it guards, so that whoever finds it after
// the holder died (SIGKILL, power loss) knows what was left running. Each guard is stopped by its
// process group only once it is checked to be the very process that was started: same pid, same
// start time (a reused pid has another), and an argument only ours are given (the data dir). Never
// by name. Staleness is the holder's identity, not its pid alone nor the file's age.
//
// The file is created whole or not at all (written beside it, then hard-linked into place: link
// fails when the name exists), so no reader sees half of one. A stale lock is removed by one taker
// only: the taker of a given stale generation must first hold `<lock>.<generation>`, itself a lock of
// this kind (so a taker that dies while taking over is taken over in turn).
import { createHash, randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { commandLineHolds, identify, isSameProcess } from './process-identity.js';

const identitySchema = z.object({
  pid: z.number().int().positive(),
  pgid: z.number().int().positive(),
  /** As process-identity.ts reads it; empty where the OS cannot tell (then the pid alone decides). */
  startTime: z.string(),
});

const guardSchema = identitySchema.extend({
  /** What it is, for people and messages: `dynamodb-local`, `ses-local`. */
  role: z.string(),
  /** An argument its command line holds (the data dir): a process without it is not ours. */
  mark: z.string().min(1),
});
export type Guard = z.infer<typeof guardSchema>;

const lockSchema = z.object({
  token: z.string().min(1),
  holder: identitySchema,
  guards: z.array(guardSchema),
  /** What the lock protects, for people reading the file. */
  for: z.string().optional(),
});
type LockRecord = z.infer<typeof lockSchema>;

export class GuardSurvivedError extends Error {
  override readonly name = 'GuardSurvivedError';
}

export interface HeldLock {
  readonly path: string;
  /** Names a process group this lock guards: call it right after spawning, before any await. */
  guard(role: string, pid: number, mark: string): void;
  /** Removes the lock if it is still ours. */
  release(): void;
}

export type LockAttempt =
  | { held: HeldLock /** What a dead holder had left running, stopped on the way. */; stopped: Guard[] }
  | { busy: number /** the live holder's pid; 0 when unknown */ };

type Seen =
  | { state: 'absent' }
  | { state: 'live'; pid: number }
  | { state: 'stale'; generation: string; guards: Guard[] };

/** A file being written in place by an older CLI may be empty for an instant: only an old one is stale. */
const UNREADABLE_GRACE_MS = 5_000;
/** Takers of takers: one level is the normal case; more only if takers keep dying. */
const MAX_TAKEOVER_DEPTH = 3;
const GUARD_GRACE_MS = 10_000;
const GUARD_KILL_WAIT_MS = 10_000;

const errorCode = (error: unknown): unknown =>
  error instanceof Error && 'code' in error ? error.code : undefined;

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
};

const holderAlive = (holder: { pid: number; startTime: string }): boolean =>
  holder.startTime ? isSameProcess(holder) : pidAlive(holder.pid);

function inspect(path: string): Seen {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return { state: 'absent' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = lockSchema.safeParse(json);
  if (parsed.success) {
    const { holder, token, guards } = parsed.data;
    return holderAlive(holder)
      ? { state: 'live', pid: holder.pid }
      : { state: 'stale', generation: token, guards };
  }
  // An older CLI's lock: its bare pid, and nothing about what it started.
  if (typeof json === 'number' && Number.isInteger(json) && json > 0)
    return pidAlive(json)
      ? { state: 'live', pid: json }
      : { state: 'stale', generation: `pid-${json}-${Math.trunc(mtimeMs)}`, guards: [] };
  return Date.now() - mtimeMs < UNREADABLE_GRACE_MS
    ? { state: 'live', pid: 0 }
    : { state: 'stale', generation: `unreadable-${Math.trunc(mtimeMs)}`, guards: [] };
}

const isOurs = (path: string, token: string): boolean => {
  try {
    return lockSchema.safeParse(JSON.parse(readFileSync(path, 'utf8'))).data?.token === token;
  } catch {
    return false;
  }
};

function heldLock(path: string, record: LockRecord): HeldLock {
  const rewrite = () => {
    // Replaced whole (rename), so a reader sees the old record or the new.
    const temp = `${path}.${record.token}.tmp`;
    writeFileSync(temp, JSON.stringify(record), { mode: 0o600 });
    renameSync(temp, path);
  };
  return {
    path,
    guard(role, pid, mark) {
      const id = identify(pid);
      if (!id) return; // already gone (it failed to start): nothing left to guard
      record.guards.push({ role, mark, ...id });
      rewrite();
    },
    release() {
      if (isOurs(path, record.token)) rmSync(path, { force: true });
    },
  };
}

function create(path: string, purpose: string | undefined): HeldLock | undefined {
  const self = identify(process.pid) ?? { pid: process.pid, pgid: process.pid, startTime: '' };
  const record: LockRecord = {
    token: randomUUID(),
    holder: self,
    guards: [],
    ...(purpose && { for: purpose }),
  };
  const text = JSON.stringify(record);
  const temp = `${path}.${record.token}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  try {
    linkSync(temp, path);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    // A file system without hard links: an exclusive create, briefly empty (see UNREADABLE_GRACE_MS).
    try {
      writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    } catch (fallback) {
      if (errorCode(fallback) === 'EEXIST') return undefined;
      throw fallback;
    }
  } finally {
    rmSync(temp, { force: true });
  }
  return heldLock(path, record);
}

const signalGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone meanwhile
  }
};

async function gone(guard: Guard, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isSameProcess(guard)) {
    if (Date.now() >= deadline) return false;
    await delay(50);
  }
  return true;
}

/** Whether the guard still runs and is the process that was started (not a reused pid). */
export function isGuardRunning(guard: Guard): boolean {
  const now = identify(guard.pid);
  return (
    now !== undefined &&
    now.startTime === guard.startTime &&
    now.pgid === guard.pgid &&
    commandLineHolds(guard.pid, guard.mark)
  );
}

/** Stops each guard that is still ours by its process group (SIGTERM, then SIGKILL); the ones stopped. */
export async function stopGuards(guards: readonly Guard[]): Promise<Guard[]> {
  const stopped: Guard[] = [];
  for (const guard of guards) {
    if (!isGuardRunning(guard)) continue;
    signalGroup(guard.pgid, 'SIGTERM');
    if (!(await gone(guard, GUARD_GRACE_MS))) {
      signalGroup(guard.pgid, 'SIGKILL');
      if (!(await gone(guard, GUARD_KILL_WAIT_MS)))
        throw new GuardSurvivedError(`${guard.role} (pid ${guard.pid}) survived SIGKILL`);
    }
    stopped.push(guard);
  }
  return stopped;
}

const generationFile = (path: string, generation: string): string =>
  `${path}.${createHash('sha256').update(generation).digest('hex').slice(0, 16)}`;

/**
 * Takes the lock at `path` if it is free or stale (stopping what a dead holder left running), or says
 * who holds it. Never waits.
 */
export async function tryLock(
  path: string,
  options: { purpose?: string; depth?: number } = {},
): Promise<LockAttempt> {
  const depth = options.depth ?? 0;
  const stopped: Guard[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const held = create(path, options.purpose);
    if (held) return { held, stopped };
    const seen = inspect(path);
    if (seen.state === 'absent') continue;
    if (seen.state === 'live') return { busy: seen.pid };
    if (depth >= MAX_TAKEOVER_DEPTH) return { busy: 0 };
    const taker = await tryLock(generationFile(path, seen.generation), {
      purpose: `taking over ${path}`,
      depth: depth + 1,
    });
    if (!('held' in taker)) return { busy: 0 }; // another command is taking it over right now
    try {
      const now = inspect(path);
      // Only the holder of this generation's taker file removes a lock of this generation.
      if (now.state === 'stale' && now.generation === seen.generation) {
        stopped.push(...(await stopGuards(now.guards)));
        rmSync(path, { force: true });
      }
    } finally {
      taker.held.release();
    }
  }
  return { busy: 0 };
}

/** tryLock, polling while a live holder has it, up to `waitMs`. */
export async function waitForLock(
  path: string,
  options: { purpose?: string; waitMs: number; onBusy?: (pid: number) => void },
): Promise<LockAttempt> {
  const deadline = Date.now() + options.waitMs;
  let told = false;
  for (;;) {
    const attempt = await tryLock(path, { ...(options.purpose && { purpose: options.purpose }) });
    if ('held' in attempt || Date.now() > deadline) return attempt;
    if (!told) options.onBusy?.(attempt.busy);
    told = true;
    await delay(200);
  }
}
