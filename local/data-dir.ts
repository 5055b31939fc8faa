// The data dir holds the embedded store between commands. One process at a time owns it (runs the
// JVM on its files); a long-lived owner (`serve`, `npm start`) advertises its endpoints so other
// commands use them instead of waiting.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';

export const DEFAULT_DATA_DIR = '.touchpoint';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.TOUCHPOINT_DATA_DIR ?? DEFAULT_DATA_DIR);
}

const runtimeFile = z.object({
  pid: z.number().int(),
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

const mtimeMs = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/** What runtime.json says, whether or not its owner still lives (`stop` cleans up after dead ones). */
export function advertisedOwner(dataDir: string): RuntimeInfo | undefined {
  const parsed = runtimeFile.safeParse(readJson(join(dataDir, 'runtime.json')));
  return parsed.success ? parsed.data : undefined;
}

/** The endpoints of a live long-lived owner of this data dir, if there is one. */
export function runningOwner(dataDir: string): RuntimeInfo | undefined {
  const owner = advertisedOwner(dataDir);
  return owner && isProcessAlive(owner.pid) ? owner : undefined;
}

export function advertiseOwner(dataDir: string, info: RuntimeInfo): () => void {
  const path = join(dataDir, 'runtime.json');
  // Write then rename: a command reading it meanwhile sees the old file or the new, never half.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(info, null, 2));
  renameSync(temp, path);
  // Only our own advertisement is ours to remove.
  return () => {
    if (advertisedOwner(dataDir)?.pid === info.pid) rmSync(path, { force: true });
  };
}

/**
 * Takes the data dir's lock (an O_EXCL file holding our pid). A lock left by a dead process is
 * taken over; a live holder is waited for, polling, up to `waitMs`.
 */
export async function lockDataDir(dataDir: string, waitMs = 10 * 60_000): Promise<() => void> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch {
      const holder = Number(readJson(path));
      // An unreadable pid may be a lock being written right now: only an old one is stale.
      const stale = Number.isInteger(holder) ? !isProcessAlive(holder) : Date.now() - mtimeMs(path) > 5_000;
      if (stale) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new DataDirBusyError(dataDir, holder);
      await delay(200);
    }
  }
}
