// The API (marketing-ops endpoints and partner webhooks) on a local port: the same Hono app as
// API Gateway's Lambda, composed from the embedded stack. Partner events go through RuleBus, so a
// webhook reaches functions/ingest-event.ts the way the cloud's EventBridge rule delivers it.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { ulid } from 'ulid';
import { createApp } from '../shared/api/app.js';
import type { ApiDeps, ApiLog, RunStarter } from '../shared/api/deps.js';
import { LOCAL_UPLOAD_PREFIX } from '../shared/api/ops/uploads.js';
import { ENV, maxBodyBytes, partnerBurstLimit, partnerRateLimit } from '../shared/config/env.js';
import { maskText, redact } from '../shared/observability/redact.js';
import { DEFAULT_ROLLOVER_MS } from '../shared/partners/secrets.js';
import { ScheduledPartnerThrottle } from '../shared/usecases/webhooks/partner-throttle.js';
import { busRulesFromTemplate, DLQ_FILE, RuleBus } from './bus-rules.js';
import { type CfnTemplateJson, functionEnvironment } from './cfn-template.js';
import { type ConsoleSite, withConsole } from './console-static.js';
import type { RuntimeInfo } from './data-dir.js';
import { apiFromTemplate } from './edge/api-template.js';
import { type ConsoleTokenVerifier, localEdge } from './edge/edge.js';
import { dataDirKey, keptSecret } from './keys.js';
import { LocalBus } from './local-bus.js';
import { executeRun } from './run-executor.js';
import type { Embedded } from './runtime.js';
import { LocalOutbox } from './stack/outbox.js';
import { LocalUploads } from './uploads.js';

/** The port `serve` and `npm start` try first; the default unsubscribe links point at it. */
export const DEFAULT_API_PORT = 8787;

export class ApiPortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is in use (try --port 0 for a free one)`);
    this.name = 'ApiPortInUseError';
  }
}

export interface ApiServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The local API as the cloud answers it: the template's API Gateway (local/edge/) in front of the
 * same Hono app the Lambda runs. `consoleTokens`: the ID tokens its Cognito-authorized methods
 * (/console/v1) take besides the development token (local/console-users.ts).
 */
export function localApiFetch(
  template: CfnTemplateJson,
  deps: ApiDeps,
  consoleTokens?: ConsoleTokenVerifier,
): ApiFetch {
  const app = createApp(deps);
  const opsToken = deps.config.opsToken;
  if (!opsToken) throw new Error('the local API needs the development token (deps.config.opsToken)');
  return localEdge({
    api: apiFromTemplate(template),
    opsToken,
    app: (req, env) => app.fetch(req, env),
    ...(consoleTokens && { consoleTokens }),
    // The upload URL stands in for S3's presigned PUT (docs/local-vs-cloud.md).
    standIns: [{ method: 'PUT', prefix: LOCAL_UPLOAD_PREFIX }],
  });
}

export type ApiFetch = (req: Request, env?: object) => Response | Promise<Response>;

/**
 * `template`: behind the local API Gateway read from it (serve, npm start); without, the bare app
 * (tests of the app alone). `console`: the console's build, served on /console/ before the API, as
 * CloudFront serves it from S3 before API Gateway (local/console-static.ts).
 */
export async function startApiServer(opts: {
  deps: ApiDeps;
  template?: CfnTemplateJson;
  port?: number;
  console?: ConsoleSite | Promise<ConsoleSite>;
  consoleTokens?: ConsoleTokenVerifier;
}): Promise<ApiServer> {
  const api: ApiFetch = opts.template
    ? localApiFetch(opts.template, opts.deps, opts.consoleTokens)
    : (req, env) => createApp(opts.deps).fetch(req, env);
  const fetch = opts.console ? withConsole(opts.console, api) : api;
  const server = createAdaptorServer({ fetch, hostname: '127.0.0.1' });
  const wanted = opts.port ?? DEFAULT_API_PORT;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      reject('code' in err && err.code === 'EADDRINUSE' ? new ApiPortInUseError(wanted) : err);
    };
    server.once('error', onError);
    server.listen(wanted, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port =
    typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : wanted;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections would hold close() open until they time out.
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    return stopped;
  };
  return { url: `http://127.0.0.1:${port}`, port, stop };
}

/** Runs through the local executor in the background; status is kept in memory for this process. */
export function localRunStarter(env: Pick<Embedded, 'template' | 'deps'>): RunStarter {
  type Status = Awaited<ReturnType<RunStarter['status']>>;
  const runs = new Map<string, NonNullable<Status>>();
  return {
    async start(input) {
      // As SfnRunStarter does: the execution is named by the run id, which is also the run's id.
      const executionId = ulid();
      runs.set(executionId, { status: 'RUNNING' });
      executeRun(env.template, env.deps, {
        runId: executionId,
        ...(input.date && { date: input.date }),
        ...(input.campaignId && { campaignId: input.campaignId }),
      }).then(
        ({ output }) => runs.set(executionId, { status: 'SUCCEEDED', output }),
        (err: unknown) =>
          runs.set(executionId, {
            status: 'FAILED',
            error: err instanceof Error ? err.message : String(err),
          }),
      );
      return { executionId };
    },
    async status(executionId) {
      return runs.get(executionId);
    },
  };
}

/** Errors to the process's stderr (`stack.log` for the background stack), masked as the handlers' logs are. */
const consoleLog: ApiLog = {
  info: () => {},
  error: (message, extra) => {
    console.error(`api: ${maskText(message)}`, redact(extra ?? ''));
  },
};

/**
 * The local development token for the marketing-ops endpoints: TOUCHPOINT_OPS_TOKEN, else one
 * made once per data dir and kept there (owner-only), so `--api` commands and scripts can read it.
 */
export function devOpsToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TOUCHPOINT_OPS_TOKEN) return env.TOUCHPOINT_OPS_TOKEN;
  return keptSecret(join(dataDir, 'ops-token'), () => `tpdev_${randomBytes(24).toString('base64url')}`);
}

/**
 * ApiDeps over the embedded stack: events go through the template's bus rules; an erase reaches the
 * bus log and the outbox (through the running channel servers named in `info`, else their files).
 */
export function localApiDeps(
  env: Pick<Embedded, 'template' | 'deps' | 'bus' | 'dataDir'> & {
    info?: Pick<RuntimeInfo, 'sesEndpoint' | 'smsEndpoint'>;
    /** Retry backoff of the bus targets (tests: () => 0). */
    busBackoffMs?: (retry: number) => number;
  },
  overrides: Partial<ApiDeps> = {},
): ApiDeps {
  const apiEnv = functionEnvironment(env.template, 'api');
  const partnerRate = {
    ratePerSecond: partnerRateLimit.parse(apiEnv[ENV.partnerRateLimit]),
    burst: partnerBurstLimit.parse(apiEnv[ENV.partnerBurstLimit]),
  };
  const events = new RuleBus({
    inner: env.bus,
    rules: busRulesFromTemplate(env.template),
    deps: env.deps,
    deadLetterFile: join(env.dataDir, DLQ_FILE),
    ...(env.busBackoffMs && { backoffMs: env.busBackoffMs }),
    onFailure: (f) =>
      consoleLog.error(`bus rule ${f.rule} → ${f.target} failed after ${f.attempts} attempts`, f.error),
  });
  return {
    store: env.deps.store,
    email: env.deps.email,
    sms: env.deps.sms,
    events,
    clock: env.deps.clock,
    runs: localRunStarter(env),
    uploads: new LocalUploads({
      dataDir: env.dataDir,
      store: env.deps.store,
      clock: env.deps.clock,
      log: consoleLog,
    }),
    personalData: [
      env.bus,
      // Dead-lettered bus events carry the partner event's detail (customerId at the top, as the log).
      new LocalBus(join(env.dataDir, DLQ_FILE), 'localBusDlq'),
      new LocalOutbox({
        dataDir: env.dataDir,
        ...(env.info?.sesEndpoint && { sesEndpoint: env.info.sesEndpoint }),
        ...(env.info?.smsEndpoint && { smsEndpoint: env.info.smsEndpoint }),
      }),
    ],
    ...(env.deps.rates && { partnerThrottle: new ScheduledPartnerThrottle(env.deps.rates, partnerRate) }),
    log: consoleLog,
    config: {
      opsToken: devOpsToken(env.dataDir),
      secretRolloverMs: DEFAULT_ROLLOVER_MS,
      // The limits infra sets on the API function, read from the synthesized template, never redeclared.
      maxBodyBytes: maxBodyBytes.parse(apiEnv[ENV.maxBodyBytes]),
      partnerRate,
      unsubscribeSecret: env.deps.links.unsubscribeSecret,
      pseudonymKey: dataDirKey(env.dataDir, 'pseudonym'),
    },
    ...overrides,
  };
}
