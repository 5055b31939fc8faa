// Latency and fault injection in front of a local provider (the SES server, the SMS sink, DynamoDB
// Local): an HTTP proxy that forwards every request and, on a seeded schedule, answers some of them
// the way the real service does when it is unwell. Point the SDK client at `proxy.endpoint`; the
// server behind it never knows. Used by the fault tests (test/faults) and the run benchmark.
//
// Faults and what the client sees (shared/channels/errors.ts decides what the run makes of them):
// - `throttle`: refused before the server sees it (SES 429 TooManyRequestsException, SMS
//   ThrottlingException, DynamoDB ProvisionedThroughputExceededException): nothing sent, retryable.
// - `error-before`: a 5xx without forwarding: nothing sent, but the client cannot know (maybeSent).
// - `error-after`: forwarded (the message IS stored), then a 5xx instead of the answer (maybeSent).
// - `timeout-after`: forwarded, then the socket is held `hangMs` and reset: a timeout after the
//   message was accepted (ECONNRESET / TimeoutError, maybeSent).
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';

export const FAULT_KINDS = ['throttle', 'error-before', 'error-after', 'timeout-after'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which wire dialect the refusals speak. */
export type FaultProtocol = 'ses' | 'sms' | 'dynamodb';

export interface FaultBurst {
  kind: FaultKind;
  /** The burst covers matching requests number `from` … `from + count - 1` (0-based). */
  from: number;
  count: number;
}

export interface ProviderFaultOptions {
  protocol: FaultProtocol;
  /** Added before every matching request is forwarded: a number, or a seeded uniform range. */
  latencyMs?: number | { min: number; max: number };
  /** Seed of the schedule (same seed, same faults on the same request numbers). Default 1. */
  seed?: number;
  /** Fraction (0…1) of matching requests that get each fault, drawn independently per request. */
  rates?: Partial<Record<FaultKind, number>>;
  /** Fixed runs of one fault, by matching-request number (applied before `rates`). */
  bursts?: readonly FaultBurst[];
  /** How long `timeout-after` holds the socket before resetting it. Default 50 ms. */
  hangMs?: number;
  /**
   * Which requests are subject to latency and faults. Default: the send operations
   * (SES v2 SendEmail, SMS SendTextMessage) and, for DynamoDB, every operation.
   */
  matches?: (request: { method: string; path: string; target: string | undefined }) => boolean;
}

export interface FaultStats {
  /** Requests received (matching or not). */
  requests: number;
  /** Matching requests (numbered 0… for the schedule). */
  matched: number;
  /** Requests passed on to the server behind (an `error-after` or `timeout-after` is forwarded). */
  forwarded: number;
  injected: Record<FaultKind, number>;
}

export interface FaultProxy {
  /** Give this to the SDK client instead of the server's own endpoint. */
  endpoint: string;
  stats(): FaultStats;
  /** Changes the schedule from the next request on (e.g. `{ rates: {} }` to heal the provider). */
  update(options: Partial<Omit<ProviderFaultOptions, 'protocol'>>): void;
  stop(): Promise<void>;
}

export class FaultProxyError extends Error {
  override readonly name = 'FaultProxyError';
}

/** mulberry32: a small seeded PRNG, so a fault schedule replays exactly. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const defaultMatches =
  (protocol: FaultProtocol) =>
  (r: { method: string; path: string; target: string | undefined }): boolean => {
    if (protocol === 'ses') return r.method === 'POST' && r.path === '/v2/email/outbound-emails';
    if (protocol === 'sms') return r.method === 'POST' && r.target === 'PinpointSMSVoiceV2.SendTextMessage';
    return r.method === 'POST' && r.target !== undefined;
  };

interface Refusal {
  status: number;
  type: string;
  contentType: string;
}

const THROTTLE: Record<FaultProtocol, Refusal> = {
  ses: { status: 429, type: 'TooManyRequestsException', contentType: 'application/json' },
  sms: { status: 400, type: 'ThrottlingException', contentType: 'application/x-amz-json-1.0' },
  dynamodb: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    contentType: 'application/x-amz-json-1.0',
  },
};
const SERVER_ERROR: Record<FaultProtocol, Refusal> = {
  ses: { status: 500, type: 'InternalFailure', contentType: 'application/json' },
  sms: { status: 500, type: 'InternalServerException', contentType: 'application/x-amz-json-1.0' },
  dynamodb: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    contentType: 'application/x-amz-json-1.0',
  },
};

const refuse = (response: ServerResponse, refusal: Refusal, message: string): void => {
  response.writeHead(refusal.status, {
    'content-type': refusal.contentType,
    'x-amzn-errortype': refusal.type,
    'x-amzn-requestid': 'injected-fault',
  });
  response.end(JSON.stringify({ __type: refusal.type, message }));
};

const readAll = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
};

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const forward = (agent: Agent, target: URL, request: IncomingMessage, body: Buffer): Promise<Upstream> =>
  new Promise((resolve, reject) => {
    const headers = { ...request.headers, host: target.host };
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers,
        agent,
      },
      (answer) => {
        readAll(answer).then(
          (b) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: b }),
          reject,
        );
      },
    );
    upstream.once('error', reject);
    upstream.end(body);
  });

/** Starts a proxy in front of `target` (e.g. `ses.endpoint`) injecting the faults of `options`. */
export const startFaultProxy = async (target: string, options: ProviderFaultOptions): Promise<FaultProxy> => {
  const upstreamUrl = new URL(target);
  // Kept-alive connections to the server behind: a new TCP connection per request costs more than the call.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let current: ProviderFaultOptions = { ...options };
  let random = seededRandom(options.seed ?? 1);
  const matches = options.matches ?? defaultMatches(options.protocol);
  const stats: FaultStats = {
    requests: 0,
    matched: 0,
    forwarded: 0,
    injected: { throttle: 0, 'error-before': 0, 'error-after': 0, 'timeout-after': 0 },
  };

  const pick = (n: number): FaultKind | undefined => {
    const burst = current.bursts?.find((b) => n >= b.from && n < b.from + b.count);
    // One draw per kind per request whatever the outcome, so the schedule depends on n only.
    const draws = FAULT_KINDS.map((kind) => ({ kind, hit: random() < (current.rates?.[kind] ?? 0) }));
    return burst?.kind ?? draws.find((d) => d.hit)?.kind;
  };
  const latency = (): number => {
    const l = current.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    return l.min + random() * (l.max - l.min);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    stats.requests += 1;
    const body = await readAll(request);
    const targetHeader = request.headers['x-amz-target'];
    const matching = matches({
      method: request.method ?? 'GET',
      path: new URL(request.url ?? '/', 'http://proxy').pathname,
      target: typeof targetHeader === 'string' ? targetHeader : undefined,
    });
    let fault: FaultKind | undefined;
    if (matching) {
      const n = stats.matched;
      stats.matched += 1;
      fault = pick(n);
      const wait = latency();
      if (wait > 0) await delay(wait);
      if (fault !== undefined) stats.injected[fault] += 1;
    }
    if (fault === 'throttle') return refuse(response, THROTTLE[current.protocol], 'injected throttling');
    if (fault === 'error-before') return refuse(response, SERVER_ERROR[current.protocol], 'injected 5xx');
    stats.forwarded += 1;
    const answer = await forward(agent, upstreamUrl, request, body);
    if (fault === 'error-after') return refuse(response, SERVER_ERROR[current.protocol], 'injected 5xx');
    if (fault === 'timeout-after') {
      await delay(current.hangMs ?? 50);
      response.socket?.destroy();
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(answer.headers).filter(
        (e): e is [string, string | string[]] => e[1] !== undefined && e[0] !== 'transfer-encoding',
      ),
    );
    response.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    response.end(answer.body);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else refuse(response, { ...SERVER_ERROR[current.protocol], status: 502 }, String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) {
    server.close();
    throw new FaultProxyError('the fault proxy has no TCP address');
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stats: () => ({ ...stats, injected: { ...stats.injected } }),
    update: (changes) => {
      current = { ...current, ...changes };
      if (changes.seed !== undefined) random = seededRandom(changes.seed);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
};
