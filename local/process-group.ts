// Local servers run as detached process groups so one signal stops the server and anything it forked
// (npx shims, JVMs). Everything here waits with a deadline; nothing sleeps blindly.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
}

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

export interface SpawnedGroup {
  /** The child's PID, which is also its process group id. */
  pid: number;
  child: ChildProcess;
  /** The last few KiB of stdout and stderr, for error messages. */
  output(): string;
  /** Settles when the child exits: its code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const OUTPUT_LIMIT = 8192;

/** Process groups still running, killed synchronously should this process exit without stopping them. */
const live = new Set<number>();
let exitHookInstalled = false;
const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) signalGroup(pid, 'SIGKILL');
  });
};

/** Sends a signal to the whole group; false when the group no longer exists. */
const signalGroup = (pid: number, signal: NodeJS.Signals | 0): boolean => {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return false;
    throw error;
  }
};

export const isGroupAlive = (pid: number): boolean => signalGroup(pid, 0);

export const spawnGroup = (
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): SpawnedGroup => {
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new ProcessStartError(`could not spawn ${command}`);
  }
  live.add(pid);
  installExitHook();
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  return { pid, child, output: () => output, exited };
};

const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * SIGTERM to the group, wait until it is gone, SIGKILL after `graceMs`. After SIGKILL the wait is
 * separate (`killWaitMs`): orphaned grandchildren linger as zombies until PID 1 reaps them, which in
 * some sandboxes takes about a second.
 */
export const stopGroup = async (
  pid: number,
  options: { graceMs?: number; killWaitMs?: number; pollMs?: number } = {},
): Promise<void> => {
  const graceMs = options.graceMs ?? 5000;
  const killWaitMs = options.killWaitMs ?? 10_000;
  const pollMs = options.pollMs ?? 50;
  if (signalGroup(pid, 'SIGTERM')) {
    const deadline = Date.now() + graceMs;
    while (isGroupAlive(pid) && Date.now() < deadline) await delay(pollMs);
    if (signalGroup(pid, 'SIGKILL')) {
      const killDeadline = Date.now() + killWaitMs;
      while (isGroupAlive(pid)) {
        if (Date.now() >= killDeadline) throw new WaitTimeoutError(`process group ${pid} survived SIGKILL`);
        await delay(pollMs);
      }
    }
  }
  live.delete(pid);
};

/** A port free on 127.0.0.1 right now (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => {
        if (port === undefined) reject(new ProcessStartError('no port assigned'));
        else resolve(port);
      });
    });
  });

export interface WaitForUrlOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Checked between polls: a reason to stop waiting early (e.g. the server exited). */
  abortReason?: () => string | undefined;
}

/** Polls until the URL answers with a status below 500. */
export const waitForUrl = async (url: string, options: WaitForUrlOptions = {}): Promise<void> => {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const aborted = options.abortReason?.();
    if (aborted !== undefined) throw new ProcessStartError(`${url}: ${aborted}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(intervalMs, 1000)) });
      await response.arrayBuffer();
      if (response.status < 500) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await delay(intervalMs);
  }
  throw new WaitTimeoutError(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
};

const isPidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
};

/**
 * Stops one process that may share its group with others (a `serve` started from a shell): SIGTERM
 * to it alone, SIGKILL after `graceMs`. Resolves once it is gone.
 */
export const stopProcess = async (
  pid: number,
  options: { graceMs?: number; killWaitMs?: number; pollMs?: number } = {},
): Promise<void> => {
  const pollMs = options.pollMs ?? 50;
  const signal = (s: NodeJS.Signals): boolean => {
    try {
      process.kill(pid, s);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + (options.graceMs ?? 5000);
  while (isPidAlive(pid) && Date.now() < deadline) await delay(pollMs);
  if (!isPidAlive(pid) || !signal('SIGKILL')) return;
  const killDeadline = Date.now() + (options.killWaitMs ?? 10_000);
  while (isPidAlive(pid)) {
    if (Date.now() >= killDeadline) throw new WaitTimeoutError(`process ${pid} survived SIGKILL`);
    await delay(pollMs);
  }
};
