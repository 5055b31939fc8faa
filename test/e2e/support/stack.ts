// The local stack as a user starts it: `touchpoint serve --port 0` in its own process group, its URLs
// and development token read from what it prints, the worked example loaded with the CLI, users made
// with `touchpoint users`. Stopped with `touchpoint stop`, then checked: nothing it started is left.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isGroupAlive, type SpawnedGroup, spawnGroup, stopGroup } from '../../../local/process-group.js';
import { BIN, type CliResult, cli } from '../../emulator/cli/cli.js';
import { processesOn } from '../../emulator/stack/support.js';
import { EXAMPLES } from '../../support/examples.js';
import { until } from './poll.js';

export interface LocalStack {
  dataDir: string;
  apiUrl: string;
  consoleUrl: string;
  devToken: string;
  /** Runs the CLI against this data dir; fails with its output unless it exits 0. */
  ok(...args: string[]): Promise<CliResult>;
  stop(): Promise<void>;
}

const line = (text: string, pattern: RegExp): string | undefined => pattern.exec(text)?.[1];

/** Starts `serve` on `dataDir` and waits (with a deadline) for its API, Console and token lines. */
export async function startServe(dataDir: string, timeoutMs = 240_000): Promise<LocalStack> {
  const group: SpawnedGroup = spawnGroup(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--data-dir', dataDir],
    {
      env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined, TOUCHPOINT_TEST_DDB_ENDPOINT: undefined },
    },
  );
  let stdout = '';
  group.child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  // `touchpoint stop` is how a user ends serve; the group kill is only the fallback, and a fallback
  // that was needed fails the run (after cleaning up), as does any process left on the data dir.
  const stop = async () => {
    const r = await cli(['stop'], { dataDir });
    const stopped = await until('serve to exit', () => !isGroupAlive(group.pid), 20_000).then(
      () => true,
      () => false,
    );
    if (!stopped) await stopGroup(group.pid);
    await until(
      'DynamoDB Local and the email server to stop',
      () => processesOn(dataDir).length === 0,
      20_000,
    ).catch(() => {
      const left = processesOn(dataDir).map((p) => `${p.pid} (group ${p.pgid}): ${p.args.join(' ')}`);
      throw new Error(`left running on ${dataDir} after touchpoint stop:\n${left.join('\n')}`);
    });
    if (r.code !== 0) throw new Error(`touchpoint stop exited ${r.code}:\n${r.stderr}${r.stdout}`);
    if (!stopped) throw new Error(`touchpoint stop left serve (group ${group.pid}) running:\n${r.stdout}`);
  };
  try {
    await until(
      'serve to print its API, Console and Ops token lines',
      () => {
        if (group.child.exitCode !== null) throw new Error(`serve exited early:\n${group.output()}`);
        return /^Console http/m.test(stdout) && /^Ops token /m.test(stdout) && /^API http/m.test(stdout);
      },
      timeoutMs,
    );
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  const apiUrl = line(stdout, /^API (http:\/\/\S+)$/m);
  const consoleUrl = line(stdout, /^Console (http:\/\/\S+)$/m);
  const devToken = line(stdout, /^Ops token (\S+)/m);
  if (!apiUrl || !consoleUrl || !devToken || devToken === '-') {
    await stop();
    throw new Error(`serve printed no usable API/Console/token lines:\n${stdout}`);
  }
  const ok = async (...args: string[]) => {
    const r = await cli(args, { dataDir });
    if (r.code !== 0)
      throw new Error(`touchpoint ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    return r;
  };
  return { dataDir, apiUrl, consoleUrl, devToken, ok, stop };
}

/**
 * The worked example (examples/, the same files as the shared examples), loaded with the CLI as the
 * README shows. Settings, then customers (contracts and events name them); the rest at once: each
 * CLI call is a Node start, and the machine has two cores.
 */
export async function loadWorkedExample(stack: LocalStack, extra: string[][] = []): Promise<void> {
  await stack.ok('settings', 'apply', join(EXAMPLES, 'settings.json'));
  await stack.ok('import', 'customers', join(EXAMPLES, 'customers.ndjson'));
  await Promise.all([
    ...['contracts', 'events'].map((kind) => stack.ok('import', kind, join(EXAMPLES, `${kind}.ndjson`))),
    ...readdirSync(join(EXAMPLES, 'campaigns'))
      .sort()
      .map((file) => stack.ok('campaign', 'apply', join(EXAMPLES, 'campaigns', file))),
    ...extra.map((args) => stack.ok(...args)),
  ]);
}

/** A local user with a role, and a token for them (`touchpoint users add` + `users token`). */
export async function userToken(stack: LocalStack, email: string, role: 'viewer' | 'editor' | 'admin') {
  await stack.ok('users', 'add', email, '--role', role);
  const token = (await stack.ok('users', 'token', email)).stdout.trim();
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new Error(`users token printed no JWT: ${token}`);
  return token;
}
