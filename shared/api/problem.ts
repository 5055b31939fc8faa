// RFC 9457 problem details: every error the API returns has this shape, never a stack trace.
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import * as z from 'zod';

/**
 * The problem body as data: the API documents it (a clone, in ops/common.ts) and the CLI reads
 * every non-2xx answer with it.
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional() }))
    .optional(),
});

export interface ProblemInput {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Validation problems: one entry per zod issue, with its path. */
  errors?: { path: string; message: string; line?: number }[];
  [extension: string]: unknown;
}

export interface Problem extends ProblemInput {
  instance: string;
}

export const PROBLEM_TYPES = {
  validation: 'https://touchpoint.dev/problems/validation',
  unauthorized: 'https://touchpoint.dev/problems/unauthorized',
  forbidden: 'https://touchpoint.dev/problems/forbidden',
  notFound: 'https://touchpoint.dev/problems/not-found',
  conflict: 'https://touchpoint.dev/problems/conflict',
  tooLarge: 'https://touchpoint.dev/problems/payload-too-large',
  throttled: 'https://touchpoint.dev/problems/throttled',
  unsupportedMedia: 'https://touchpoint.dev/problems/unsupported-media-type',
  internal: 'https://touchpoint.dev/problems/internal',
  unavailable: 'https://touchpoint.dev/problems/unavailable',
} as const;

export function problem(c: Context, p: ProblemInput, headers: Record<string, string> = {}): Response {
  const body: Problem = { ...p, instance: new URL(c.req.url).pathname };
  // A 413 is answered before the body has been read: the rest of it is still on the wire, so the
  // connection cannot carry another request. Closing it keeps a client's next request (say, the
  // upload it switches to) off a socket that would fail.
  const close: Record<string, string> = p.status === 413 ? { connection: 'close' } : {};
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...close, ...headers },
  });
}

export const zodErrors = (error: ZodError): NonNullable<Problem['errors']> =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

export function validationProblem(
  c: Context,
  error: ZodError,
  detail = 'The request does not match the schema.',
): Response {
  return problem(c, {
    type: PROBLEM_TYPES.validation,
    title: 'Invalid request',
    status: 400,
    detail,
    errors: zodErrors(error),
  });
}
