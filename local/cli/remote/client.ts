// The CLI's HTTP client for `--api URL`: the same commands against a running API (touchpoint serve,
// or the deployed one) instead of the embedded store. Bearer token when one is known, else SigV4;
// every 4xx/5xx answer is read as RFC 9457 problem JSON (or API Gateway's own `{ message }`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { problemSchema } from '../../../shared/api/problem.js';
import type { CommandContext, RemoteTarget } from '../context.js';
import { type Reason, RefusedError, UsageError } from '../errors.js';
import type { Signer } from './sigv4.js';

/** A non-2xx answer of the API, with the problem's reasons. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: Reason[],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }
}

/** The API could not be reached at all (refused, DNS, TLS, timeout). */
export class ApiUnreachableError extends Error {
  constructor(origin: string, cause: unknown) {
    super(`cannot reach the API at ${origin}: ${describeCause(cause)}`, { cause });
    this.name = 'ApiUnreachableError';
  }
}

function describeCause(err: unknown): string {
  const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (inner instanceof Error) {
    const code = 'code' in inner && typeof inner.code === 'string' ? inner.code : undefined;
    return code ? `${code} (${inner.message})` : inner.message;
  }
  return String(inner);
}

/** Problem JSON; API Gateway's own refusals (IAM, throttling) carry only a `message`. */
const problemBody = problemSchema.partial().extend({ message: z.string().optional() });

export type RequestBody =
  | { json: unknown }
  /** Sent as a stream with a bearer token; read whole only when SigV4 must hash it. */
  | { contentType: string; chunks: () => AsyncIterable<Uint8Array | string> };

export interface ApiClient {
  readonly origin: string;
  /** The parsed JSON of a 2xx answer; throws ApiProblem otherwise. */
  call(
    method: string,
    path: string,
    opts?: { query?: Record<string, string | undefined>; body?: RequestBody; timeoutMs?: number },
  ): Promise<{ status: number; body: unknown }>;
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * The token to send: --token / TOUCHPOINT_API_TOKEN, else for a loopback URL the development token
 * `touchpoint serve` keeps in the data dir, else none (SigV4).
 */
export function tokenFor(target: RemoteTarget, url: URL, dataDir: string): string | undefined {
  if (target.token) return target.token;
  const stored = join(dataDir, 'ops-token');
  if (isLoopback(url) && existsSync(stored)) return readFileSync(stored, 'utf8').trim() || undefined;
  return undefined;
}

export function parseApiUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--api must be an http(s) URL, got ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--api must be an http(s) URL, got ${raw}`);
  return url;
}

async function collect(chunks: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(parts);
}

export async function apiClient(target: RemoteTarget, dataDir: string): Promise<ApiClient> {
  const base = parseApiUrl(target.url);
  const token = tokenFor(target, base, dataDir);
  // The AWS credential chain is a lot of code: loaded only when a request must be signed.
  const sign: Signer | undefined = token ? undefined : (await import('./sigv4.js')).sigV4Signer(base);
  // A stage path (https://…/prod) is kept: routes are appended to it.
  const prefix = base.pathname.replace(/\/+$/, '');

  return {
    origin: base.origin,
    async call(method, path, opts = {}) {
      const url = new URL(base.origin);
      url.pathname = `${prefix}${path}`;
      for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
      const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
      let body: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
      const b = opts.body;
      if (b && 'json' in b) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(b.json);
      } else if (b) {
        headers['content-type'] = b.contentType;
        body = sign ? await collect(b.chunks()) : toStream(b.chunks());
      }
      if (token) headers.authorization = `Bearer ${token}`;
      else if (sign) {
        let signed: Record<string, string>;
        try {
          signed = await sign({
            method,
            url,
            headers,
            ...(typeof body === 'string' || body instanceof Uint8Array ? { body } : {}),
          });
        } catch (err) {
          throw new Error(
            `cannot sign the request to ${base.origin} with AWS credentials (${describeCause(err)}); configure AWS credentials, or pass --token for a local API`,
            { cause: err },
          );
        }
        // fetch sets Host itself, from the URL the signature covered.
        for (const [k, v] of Object.entries(signed)) if (k.toLowerCase() !== 'host') headers[k] = v;
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          ...(body !== undefined && { body }),
          // A stream body must say so (Node's fetch); harmless otherwise.
          ...(body instanceof ReadableStream && { duplex: 'half' }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
        });
      } catch (err) {
        throw new ApiUnreachableError(base.origin, err);
      }
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (res.ok) return { status: res.status, body: parsed };
      const p = problemBody.safeParse(parsed);
      const title = (p.success && (p.data.title ?? p.data.message)) || res.statusText || `HTTP ${res.status}`;
      throw new ApiProblem(
        res.status,
        title,
        p.success ? p.data.detail : undefined,
        // Keys in the order the embedded refusals print them.
        p.success
          ? (p.data.errors ?? []).map((r) => ({
              ...(r.line !== undefined && { line: r.line }),
              path: r.path,
              message: r.message,
            }))
          : [],
      );
    },
  };
}

function toStream(chunks: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/** An answer the command does not handle itself, as the CLI's exit codes say. */
export function refusalOf(p: ApiProblem): Error {
  if (p.status === 401 || p.status === 403)
    return new RefusedError(
      `the API refused the credentials (${p.status} ${p.title})${p.detail ? `: ${p.detail}` : ''}`,
      p.errors,
    );
  if (p.status >= 500) return new Error(`the API failed (${p.status} ${p.title})`);
  return new RefusedError(
    `the API refused the request (${p.status} ${p.title})${p.detail ? `: ${p.detail}` : ''}`,
    p.errors,
  );
}

/**
 * Runs a command against the API: `--api URL` when given, else the data dir's local API. Problems
 * the command does not handle become refusals (exit 1).
 */
export async function withApi<T>(ctx: CommandContext, fn: (api: ApiClient) => Promise<T>): Promise<T> {
  const target = ctx.remote ?? (await (await import('./local-api.js')).localApi(ctx.dataDir));
  try {
    return await fn(await apiClient(target, ctx.dataDir));
  } catch (e) {
    if (e instanceof ApiProblem) throw refusalOf(e);
    throw e;
  }
}
