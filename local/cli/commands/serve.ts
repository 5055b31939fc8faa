// `touchpoint serve`: the local API (marketing-ops endpoints and partner webhooks), the mailbox and
// the SMS page, up until SIGINT/SIGTERM; other commands on the same data dir attach to it.

import { CONSOLE_BASE } from '../../../infra/console-site.js';
import { ApiPortInUseError, DEFAULT_API_PORT, localApiDeps, startApiServer } from '../../api-server.js';
import { ConsoleBuildError, ensureConsoleBuild } from '../../console-assets.js';
import { localConsoleTokens } from '../../console-users.js';
import { advertiseOwner } from '../../data-dir.js';
import type { Embedded } from '../../runtime.js';
import { stopDataDirStack } from '../../stack/stop.js';
import { type CommandContext, withEmbedded } from '../context.js';
import { UsageError } from '../errors.js';
import type { Out } from '../output.js';

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`--port must be 0–65535, got ${value}`);
  return port;
}

/**
 * Starts the API for the embedded stack, advertises its URL in the data dir and prints the
 * `API http://127.0.0.1:N` line, then the `Console http://127.0.0.1:N/console/` line once the console's
 * build is there (built on the first start after a change to its sources, kept after: the API answers
 * meanwhile). Without an explicit port, a busy default port falls back to a free one.
 */
export async function serveApi(
  ctx: { out: Out },
  env: Embedded,
  port: number | undefined,
): Promise<() => Promise<void>> {
  const deps = localApiDeps(env);
  const build = ensureConsoleBuild({ log: (line) => ctx.out.note(line) });
  // Settled here too, so a failed build is reported below and never an unhandled rejection.
  const built = build.then(
    (b) => ({ ok: true as const, ms: b.ms, built: b.built }),
    (err: unknown) => ({ ok: false as const, error: err }),
  );
  const site = build.then((b) => ({ dir: b.dir }));
  // /console/v1 takes the ID tokens of `touchpoint users token` (and the development token).
  const consoleTokens = localConsoleTokens(env.dataDir);
  let api: Awaited<ReturnType<typeof startApiServer>>;
  try {
    api = await startApiServer({
      deps,
      template: env.template,
      port: port ?? DEFAULT_API_PORT,
      console: site,
      consoleTokens,
    });
  } catch (err) {
    if (!(err instanceof ApiPortInUseError) || port !== undefined) throw err;
    ctx.out.note(`port ${DEFAULT_API_PORT} is in use; serving the API on a free port instead`);
    api = await startApiServer({ deps, template: env.template, port: 0, console: site, consoleTokens });
  }
  // Rewrites runtime.json with the API too; openEmbedded's cleanup removes the same file on stop.
  Object.assign(env.info, { apiUrl: api.url });
  advertiseOwner(env.dataDir, env.info);
  ctx.out.text(`API ${api.url}`);
  ctx.out.text(
    `Ops token ${deps.config.opsToken ?? '-'}  (Authorization: Bearer … on /v1; OpenAPI at ${api.url}/openapi.json)`,
  );
  const consoleBuild = await built;
  if (consoleBuild.ok) {
    if (consoleBuild.built) ctx.out.note(`console built in ${consoleBuild.ms} ms`);
    ctx.out.text(`Console ${api.url}${CONSOLE_BASE}`);
  } else if (consoleBuild.error instanceof ConsoleBuildError) {
    // The API stays useful without the console: say why there is no Console line.
    ctx.out.note(`${consoleBuild.error.message}; serving the API without it`);
  } else {
    await api.stop();
    throw consoleBuild.error;
  }
  return () => api.stop();
}

const untilSignal = (): Promise<void> =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

export async function serveCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw new UsageError('usage: touchpoint serve [--port N]');
  const port = parsePort(ctx.options.port);
  // serve owns the data dir in the foreground: a background stack holding it steps aside first
  // (another serve is left alone; opening the store then attaches to it as before).
  const stopped = await stopDataDirStack(ctx.dataDir, { backgroundOnly: true });
  if (stopped.stopped.length > 0) ctx.out.note('stopped the background stack of this data dir');
  await withEmbedded(ctx, { channels: true, own: true }, async (env) => {
    const stopApi = await serveApi(ctx, env, port);
    try {
      ctx.out.text(`Mailbox ${env.info.mailboxUrl ?? '-'}`);
      ctx.out.text(`SMS ${env.info.smsPageUrl ?? '-'}`);
      ctx.out.data({
        apiUrl: env.info.apiUrl,
        mailboxUrl: env.info.mailboxUrl,
        smsPageUrl: env.info.smsPageUrl,
        dataDir: env.dataDir,
      });
      ctx.out.text('Press Ctrl-C to stop.');
      await untilSignal();
    } finally {
      await stopApi();
    }
  });
}
