// The CLI's background stack for one data dir: DynamoDB Local, the local SES server, the SMS sink and
// the local API (the same Hono app as `touchpoint serve`), started detached by the first command
// that needs them (client.ts) and advertised in the data dir; later commands attach. It stops itself
// after TOUCHPOINT_IDLE_SECONDS without a command, and on SIGTERM (`touchpoint stop`).
import { join, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { advertiseOwner, type DataDirLock, ensurePrivateDir, lockDataDir } from '../data-dir.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb-local.js';
import { freePort, isGroupAlive } from '../process-group.js';
import { EMAIL_CAPTURE_FILE, type SesLocal, startSesLocal } from '../ses-local.js';
import { type SmsSink, startSmsSink } from '../sms-sink.js';
import { stackConfig } from './config.js';
import { lastUsedMs, registerStack, stackTag, touchHeartbeat, unregisterStack } from './registry.js';

export class StackChannelsError extends Error {
  override readonly name = 'StackChannelsError';
}

const log = (message: string): void => {
  process.stderr.write(`${new Date().toISOString()} stack ${process.pid}: ${message}\n`);
};

/**
 * Starts the three servers together, each named in the data dir's lock as soon as it is spawned; if
 * one fails, stops the others before throwing.
 */
async function startServers(
  dataDir: string,
  lock: DataDirLock,
): Promise<{ ddb: DynamoDbLocal; ses: SesLocal; sms: SmsSink }> {
  const [ddb, ses, sms] = await Promise.allSettled([
    startDynamoDbLocal({
      dataDir: join(dataDir, 'dynamodb'),
      onSpawn: (pid) => lock.guard('dynamodb-local', pid),
    }),
    startSesLocal({
      captureFile: join(dataDir, EMAIL_CAPTURE_FILE),
      onSpawn: (pid) => lock.guard('ses-local', pid),
    }),
    startSmsSink({ dir: dataDir }),
  ]);
  if (ddb.status === 'fulfilled' && ses.status === 'fulfilled' && sms.status === 'fulfilled')
    return { ddb: ddb.value, ses: ses.value, sms: sms.value };
  await Promise.allSettled(
    [ddb, ses, sms].map((r) => (r.status === 'fulfilled' ? r.value.stop() : Promise.resolve())),
  );
  const failed = [ddb, ses, sms].find((r) => r.status === 'rejected');
  throw failed?.status === 'rejected'
    ? failed.reason
    : new StackChannelsError('a local server did not start');
}

export async function runStack(dataDirArg: string): Promise<void> {
  const dataDir = resolve(dataDirArg);
  // Everything this process and its servers write (the database, messages, logs) is the user's alone.
  process.umask(0o077);
  ensurePrivateDir(dataDir);
  const config = stackConfig();
  registerStack({ dataDir, pid: process.pid, startedAt: new Date().toISOString(), ...stackTag() });
  const stops: (() => Promise<void> | void)[] = [() => unregisterStack(dataDir, process.pid)];
  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> => {
    stopping ??= (async () => {
      log(`stopping (${why})`);
      for (const s of stops.reverse()) {
        try {
          await s();
        } catch (error) {
          log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      log('stopped');
    })();
    return stopping;
  };
  const exitOn = (signal: NodeJS.Signals) =>
    process.once(signal, () => void stop(signal).finally(() => process.exit(0)));
  // SIGINT/SIGHUP too: the stack has no terminal, but a user may still signal it by hand.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) exitOn(signal);

  try {
    // A one-shot command of an older CLI may hold the JVM's files for a few seconds: wait for it.
    // A lock left by a holder killed hard is taken over here, and what it left running is stopped.
    const lock = await lockDataDir(dataDir, 60_000);
    stops.push(() => lock.release());
    // The JVM boots in its own process while this one loads the API and the runtime (~1 s of imports).
    const servers = startServers(dataDir, lock);
    const modules = Promise.all([import('../runtime.js'), import('../api-server.js')]);
    modules.catch(() => undefined); // awaited below; a failure surfaces there
    const [{ ddb, ses, sms }, port] = await Promise.all([servers, freePort()]);
    stops.push(() => ddb.stop());
    // Should this process die without cleanup, the JVM must not outlive it.
    const killJvm = () => {
      try {
        process.kill(-ddb.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    process.once('exit', killJvm);
    stops.push(
      () => ses.stop(),
      () => sms.stop(),
    );
    const apiUrl = `http://127.0.0.1:${port}`;
    // Advertised before the API listens (`starting`), so the embedded runtime below attaches to these
    // servers and signs unsubscribe links with this API's URL.
    const info = {
      pid: process.pid,
      kind: 'stack' as const,
      ddbEndpoint: ddb.endpoint,
      sesEndpoint: ses.endpoint,
      smsEndpoint: sms.endpoint,
      mailboxUrl: ses.mailboxUrl,
      smsPageUrl: sms.pageUrl,
      apiUrl,
      groups: [ddb.pid, ses.pid],
    };
    stops.push(advertiseOwner(dataDir, { ...info, starting: true }));
    const [{ openEmbedded, LOCAL_SMS_ORIGINATOR }, { localApiDeps, localApiFetch }] = await modules;
    const env = await openEmbedded({ dataDir, channels: true });
    stops.push(() => env.stop());
    // The SMS page's reply box: the inbound SMS handler over this stack, as the cloud's topic invokes it.
    sms.onReply((await import('../inbound-sms.js')).pageReplyHandler(env.deps, LOCAL_SMS_ORIGINATOR));

    const { localConsoleTokens } = await import('../console-users.js');
    const fetch = localApiFetch(env.template, localApiDeps(env), localConsoleTokens(dataDir));
    let active = 0;
    let lastRequest = Date.now();
    const server = createAdaptorServer({
      hostname: '127.0.0.1',
      fetch: async (request: Request, bindings: object) => {
        active += 1;
        lastRequest = Date.now();
        try {
          return await fetch(request, bindings);
        } finally {
          active -= 1;
          lastRequest = Date.now();
        }
      },
    });
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done());
    });
    stops.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
    );
    // Ours is removed first on stop (stops run in reverse), so no new command attaches to a stack
    // that is going away; one arriving meanwhile starts the next stack, which waits for our lock.
    const unadvertise = advertiseOwner(dataDir, info);
    stops.push(unadvertise);
    log(`up: API ${apiUrl}, DynamoDB Local ${ddb.endpoint} (pid ${ddb.pid}), idle ${config.idleMs} ms`);

    const idleCheck = setInterval(
      () => {
        // A stack whose JVM or mail server died would answer every command with errors: better
        // gone, so that the next command starts a whole one.
        const dead = [ddb.pid, ses.pid].find((group) => !isGroupAlive(group));
        if (dead !== undefined) {
          clearInterval(idleCheck);
          void stop(`process group ${dead} exited`).finally(() => process.exit(1));
          return;
        }
        // A request in flight (a long run) marks the stack as used, so no other data dir's
        // command evicts it meanwhile (registry.ts BUSY_MS).
        if (active > 0) touchHeartbeat(dataDir);
        const idleFor = Date.now() - Math.max(lastRequest, lastUsedMs(dataDir));
        if (active === 0 && idleFor >= config.idleMs) {
          clearInterval(idleCheck);
          void stop(`idle for ${Math.round(idleFor / 1000)} s`).finally(() => process.exit(0));
        }
      },
      Math.min(15_000, Math.max(200, config.idleMs / 5)),
    );
  } catch (error) {
    log(`did not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stop('start failed');
    process.exit(1);
  }
}
