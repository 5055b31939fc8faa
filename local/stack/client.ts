// How a CLI command reaches the local API of its data dir: a running `serve` or background stack if
// there is one, else a new background stack started detached (daemon.ts). Imports nothing heavy
// (no AWS SDK, no Hono, no CDK): this is on every command's path.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { advertisedOwner, ensurePrivateDir, type RuntimeInfo, runningOwner } from '../data-dir.js';
import { tryLock } from '../pid-lock.js';
import { type StackConfig, stackConfig } from './config.js';
import {
  lastUsedMs,
  liveStacks,
  registerStack,
  stacksToEvict,
  stackTag,
  touchHeartbeat,
} from './registry.js';
import { stopDataDirStack } from './stop.js';

export interface LocalApi {
  url: string;
  /** The data dir's development token for the marketing-ops endpoints (Authorization: Bearer …). */
  token: string;
}

export class StackStartError extends Error {
  constructor(
    readonly dataDir: string,
    detail: string,
  ) {
    super(`the local stack for ${dataDir} did not start: ${detail}`);
    this.name = 'StackStartError';
  }
}

/** The file the background stack writes its own log to (its stdout and stderr). */
export const STACK_LOG = 'stack.log';
const START_LOCK = 'stack-start.lock';
const BIN = fileURLToPath(new URL('../../bin/touchpoint.mjs', import.meta.url));
// A `serve`/`npm start` advertises its API a moment after its store; `npm start` only after the demo.
const FOREGROUND_API_WAIT_MS = 15_000;

const delay = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

const tail = (path: string, bytes = 4000): string => {
  try {
    return readFileSync(path, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
};

/** The token the owner accepts: the background stack always uses the data dir's file (see spawn). */
function tokenFor(dataDir: string, owner: RuntimeInfo): string {
  const envToken = process.env.TOUCHPOINT_OPS_TOKEN;
  if (owner.kind !== 'stack' && envToken) return envToken;
  const path = join(dataDir, 'ops-token');
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

/** Stops the least recently used stacks of other data dirs, so at most `maxStacks` run. */
async function evictOthers(dataDir: string, config: StackConfig): Promise<void> {
  const running = liveStacks().map((s) => ({ ...s, lastUsedMs: lastUsedMs(s.dataDir) }));
  const self = { dataDir, ...stackTag() };
  for (const s of stacksToEvict(running, self, config.maxStacks, Date.now()))
    await stopDataDirStack(s.dataDir, { backgroundOnly: true });
}

/** One starter per data dir (pid-lock.ts); a dead starter's lock is taken over. */
async function takeStartLock(dataDir: string): Promise<(() => void) | undefined> {
  const attempt = await tryLock(join(dataDir, START_LOCK), { purpose: `starting the stack of ${dataDir}` });
  return 'held' in attempt ? () => attempt.held.release() : undefined;
}

async function startStack(dataDir: string, config: StackConfig, deadline: number): Promise<void> {
  const release = await takeStartLock(dataDir);
  if (!release) return; // another command is starting it: the caller waits for the advertisement
  try {
    if (runningOwner(dataDir)) return;
    // An owner killed hard (SIGKILL, power loss) may have left its JVM running on these files.
    if (advertisedOwner(dataDir)) await stopDataDirStack(dataDir, { backgroundOnly: true });
    await evictOthers(dataDir, config);
    const logPath = join(dataDir, STACK_LOG);
    const logFd = openSync(logPath, 'a', 0o600);
    const { TOUCHPOINT_OPS_TOKEN: _ignored, ...env } = process.env;
    // Detached: its own session and process group, so Ctrl-C on this command never reaches it, and
    // `touchpoint stop` ends it by its group. Its output goes to the data dir, not our terminal.
    const child = spawn(process.execPath, [BIN, '__stack', dataDir], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env,
    });
    closeSync(logFd);
    const pid = child.pid;
    if (pid === undefined) throw new StackStartError(dataDir, 'could not spawn node');
    registerStack({ dataDir, pid, startedAt: new Date().toISOString(), ...stackTag() });
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `it exited with ${code ?? signal}`;
    });
    try {
      for (;;) {
        const owner = runningOwner(dataDir);
        if (owner?.pid === pid && !owner.starting) return;
        if (exited !== undefined) throw new StackStartError(dataDir, `${exited}\n${tail(logPath)}`);
        if (Date.now() > deadline) {
          await stopDataDirStack(dataDir, { backgroundOnly: true });
          throw new StackStartError(dataDir, `no API within ${config.startTimeoutMs} ms\n${tail(logPath)}`);
        }
        await delay(50);
      }
    } finally {
      // This command may end now; the stack lives on without us.
      child.unref();
    }
  } finally {
    release();
  }
}

/**
 * The local API for the data dir, starting the background stack if nothing serves it yet; each call
 * counts as a use (the stack's idle timeout restarts).
 */
export async function ensureLocalApi(dataDirArg: string): Promise<LocalApi> {
  const dataDir = resolve(dataDirArg);
  ensurePrivateDir(dataDir);
  // Before reading runtime.json: a stack checking its idle time now sees this use.
  touchHeartbeat(dataDir);
  const config = stackConfig();
  const started = Date.now();
  const deadline = started + config.startTimeoutMs;
  for (;;) {
    const owner = runningOwner(dataDir);
    if (owner?.apiUrl && !owner.starting) return { url: owner.apiUrl, token: tokenFor(dataDir, owner) };
    if (!owner) {
      await startStack(dataDir, config, deadline);
      if (runningOwner(dataDir)) continue;
    }
    if (owner && owner.kind !== 'stack' && Date.now() - started > FOREGROUND_API_WAIT_MS)
      throw new StackStartError(
        dataDir,
        `process ${owner.pid} (serve or npm start) holds it without an API; use that data dir once it prints its API line`,
      );
    if (Date.now() > deadline)
      throw new StackStartError(dataDir, `no API within ${config.startTimeoutMs} ms`);
    await delay(50);
  }
}
