// The local API Gateway: what the cloud's REST API does before its Lambda runs, read from the
// synthesized template (api-template.ts) — route matching (no route or no method: 403 "Missing
// Authentication Token"), authorization (IAM locally means the development token: missing and bad
// credentials are both 403; Cognito user pools locally means an ID token of the local issuer or the
// development token: missing and bad are both 401), the request validator's body check (400 before the Lambda), and the
// template's gateway responses — then the same Hono app the Lambda runs. docs/local-vs-cloud.md
// lists what it does not do (stage and method throttles, WAF, SigV4).
import { timingSafeEqual } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ApiMethod, ApiTemplate } from './api-template.js';

/** API Gateway's payload limit (REST APIs): larger requests never reach a Lambda. */
export const API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** What API Gateway answers when a stack declares no gateway response of the type: its defaults. */
const AWS_DEFAULTS: Record<EdgeRefusal, { status: number; message: string }> = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token' },
  INVALID_SIGNATURE: {
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
};

export type EdgeRefusal =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INVALID_SIGNATURE'
  | 'BAD_REQUEST_BODY'
  | 'REQUEST_TOO_LARGE'
  | 'UNAUTHORIZED';

type Fetch = (req: Request, env?: object) => Response | Promise<Response>;

/** Per path segment: 0 a literal, 1 a `{param}`, 2 a `{proxy+}` (API Gateway prefers them in that order). */
function matchRanks(pattern: string[], segments: string[]): number[] | undefined {
  const ranks: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] ?? '';
    if (/^\{[^}]+\+\}$/.test(part)) {
      if (i >= segments.length || i !== pattern.length - 1) return undefined;
      ranks.push(2);
      return ranks;
    }
    const seg = segments[i];
    if (seg === undefined || seg === '') return undefined;
    if (/^\{[^}]+\}$/.test(part)) ranks.push(1);
    else if (part === seg) ranks.push(0);
    else return undefined;
  }
  return pattern.length === segments.length ? ranks : undefined;
}

const better = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return a.length > b.length;
};

const split = (path: string): string[] => (path === '/' ? [] : path.replace(/^\/|\/$/g, '').split('/'));

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The body, or undefined once it passes `max` bytes (read no further: a chunked flood stays bounded). */
async function readAtMost(req: Request, max: number): Promise<Uint8Array | undefined> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Verifies an ID token for COGNITO_USER_POOLS methods (locally: the data dir's issuer and users,
 * local/console-users.ts); its claims, or undefined when it does not verify.
 */
export interface ConsoleTokenVerifier {
  verify(token: string): Promise<Record<string, unknown> | undefined>;
}

/** Claims as API Gateway's Cognito authorizer hands them to a REST (v1) Lambda: every value a string. */
function gatewayClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([k, v]) => [
      k,
      Array.isArray(v) ? (v.length === 1 ? String(v[0]) : `[${v.map(String).join(' ')}]`) : String(v),
    ]),
  );
}

export interface LocalEdgeOptions {
  api: ApiTemplate;
  /** The development token IAM-authorized methods take locally, in place of a SigV4 signature. */
  opsToken: string;
  /** ID tokens for COGNITO_USER_POOLS methods; absent: those methods take the development token only. */
  consoleTokens?: ConsoleTokenVerifier;
  /** The integration: the Hono app's fetch. */
  app: Fetch;
  /**
   * Routes that stand in locally for a service outside the API (PUT to a presigned S3 URL): passed
   * to the app as they are (local/parity.ts lists the difference).
   */
  standIns?: readonly { method: string; prefix: string }[];
}

export function localEdge(opts: LocalEdgeOptions): Fetch {
  const ajv = new Ajv({ strict: false, allErrors: false });
  const validators = new Map<ApiMethod, Map<string, ValidateFunction>>(
    opts.api.methods.map((m) => [
      m,
      new Map(
        [...m.bodyModels].map(([type, schema]) => {
          const { $schema: _draft, ...rest } = schema;
          return [type, ajv.compile(rest)];
        }),
      ),
    ]),
  );
  const resources = [...new Set(opts.api.methods.map((m) => m.path))].map((path) => ({
    path,
    pattern: split(path),
  }));

  const refuse = (type: EdgeRefusal, path: string): Response => {
    const declared = opts.api.responses.get(type) ?? opts.api.responses.get('DEFAULT_4XX');
    const fallback = AWS_DEFAULTS[type];
    if (!declared) return Response.json({ message: fallback.message }, { status: fallback.status });
    const body = declared.template.split('$context.path').join(JSON.stringify(path).slice(1, -1));
    const headers = new Headers(declared.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(body, { status: declared.status ?? fallback.status, headers });
  };

  const route = (method: string, path: string): ApiMethod | undefined => {
    const segments = split(path);
    let best: { path: string; ranks: number[] } | undefined;
    for (const r of resources) {
      const ranks = matchRanks(r.pattern, segments);
      if (ranks && (!best || better(ranks, best.ranks))) best = { path: r.path, ranks };
    }
    if (!best) return undefined;
    const on = opts.api.methods.filter((m) => m.path === best.path);
    return on.find((m) => m.httpMethod === method) ?? on.find((m) => m.httpMethod === 'ANY');
  };

  return async (incoming, given) => {
    let req = incoming;
    let env = given;
    const path = new URL(req.url).pathname;
    if (opts.standIns?.some((s) => s.method === req.method.toUpperCase() && path.startsWith(s.prefix)))
      return opts.app(req, env);
    const method = route(req.method.toUpperCase(), path);
    if (!method) return refuse('MISSING_AUTHENTICATION_TOKEN', path);
    const length = Number(req.headers.get('content-length') ?? 0);
    if (length > API_GATEWAY_MAX_PAYLOAD_BYTES) return refuse('REQUEST_TOO_LARGE', path);
    if (method.authorization === 'AWS_IAM') {
      const header = req.headers.get('authorization');
      if (header === null) return refuse('MISSING_AUTHENTICATION_TOKEN', path);
      const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      if (token === undefined || !sameToken(token, opts.opsToken)) return refuse('INVALID_SIGNATURE', path);
    }
    if (method.authorization === 'COGNITO_USER_POOLS') {
      // As API Gateway's Cognito authorizer: the raw token in the header (a `Bearer ` prefix is taken
      // too); missing or not verifying: 401. The development token stands for an admin locally.
      const raw = req.headers.get(method.tokenHeader ?? 'authorization');
      const token = raw === null ? undefined : (/^Bearer\s+(\S+)\s*$/i.exec(raw)?.[1] ?? raw.trim());
      if (token === undefined || token.length === 0) return refuse('UNAUTHORIZED', path);
      if (sameToken(token, opts.opsToken)) {
        const headers = new Headers(req.headers);
        headers.set('authorization', `Bearer ${token}`);
        req = new Request(req, { headers });
      } else {
        const claims = await opts.consoleTokens?.verify(token);
        if (claims === undefined) return refuse('UNAUTHORIZED', path);
        env = { ...env, requestContext: { authorizer: { claims: gatewayClaims(claims) } } };
      }
    }
    const mediaType = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const validate = validators.get(method)?.get(mediaType);
    if (!validate) return opts.app(req, env);
    // The validator reads the whole body before the Lambda runs; the Lambda gets the same bytes.
    const bytes = await readAtMost(req, API_GATEWAY_MAX_PAYLOAD_BYTES);
    if (bytes === undefined) return refuse('REQUEST_TOO_LARGE', path);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      return refuse('BAD_REQUEST_BODY', path);
    }
    if (!validate(body)) return refuse('BAD_REQUEST_BODY', path);
    return opts.app(new Request(req.url, { method: req.method, headers: req.headers, body: bytes }), env);
  };
}
