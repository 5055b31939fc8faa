// The one way the app talks to the API: JSON in and out, the session's bearer token, and RFC 9457
// problem documents turned into a typed error the pages show at the field or in an alert.
import * as z from 'zod';

export const problemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).optional(),
        message: z.string(),
      }),
    )
    .optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The path of a problem's error as the dotted form a form field is keyed by ("steps.0.templates.en-US.subject"). */
export const errorPath = (p: string | readonly (string | number)[] | undefined): string =>
  p === undefined ? '' : typeof p === 'string' ? p.replace(/^\//, '').replaceAll('/', '.') : p.join('.');

export interface ApiClient {
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  /** A raw response (downloads). */
  raw(path: string): Promise<Response>;
}

export function apiClient(
  base: string,
  token: () => string | undefined,
  onUnauthorized: () => void,
): ApiClient {
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    const t = token();
    // The raw token, as API Gateway's Cognito authorizer reads the header (the local edge too).
    if (t) headers.authorization = t;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (res.status === 401) onUnauthorized();
    return res;
  };
  const parse = async <T>(res: Response, schema: z.ZodType<T>): Promise<T> => {
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length ? JSON.parse(text) : {};
    } catch {
      json = { title: text.slice(0, 200) };
    }
    if (!res.ok) {
      const p = problemSchema.safeParse(json);
      throw new ApiError(res.status, p.success ? p.data : { title: `HTTP ${res.status}` });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ApiError(res.status, { title: 'Unexpected response', detail: z.prettifyError(parsed.error) });
    return parsed.data;
  };
  return {
    get: async (path, schema) => parse(await call('GET', path), schema),
    send: async (method, path, body, schema) => parse(await call(method, path, body), schema),
    raw: (path) => call('GET', path),
  };
}
