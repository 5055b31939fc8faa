// What every ops route shares: expected failures as a typed error that the ops app turns into
// problem JSON (so handlers return only their typed success responses), the documented problem
// shape, and the response blocks each route lists in the OpenAPI document.
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { ApiLog } from '../deps.js';
import {
  problemSchema as baseProblemSchema,
  PROBLEM_TYPES,
  type Problem,
  problem,
  validationProblem,
  zodErrors,
} from '../problem.js';

/** An expected failure of an ops request; the ops app answers it as RFC 9457 problem JSON. */
// A type alias (not an interface) so it is assignable to problem()'s open-ended Problem shape.
export type ProblemFields = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: NonNullable<Problem['errors']>;
};

export class ProblemError extends Error {
  constructor(readonly problem: ProblemFields) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }
}

export const notFound = (what: string): ProblemError =>
  new ProblemError({
    type: PROBLEM_TYPES.notFound,
    title: 'Not found',
    status: 404,
    detail: `${what} does not exist.`,
  });

export const conflict = (detail: string): ProblemError =>
  new ProblemError({ type: PROBLEM_TYPES.conflict, title: 'Conflict', status: 409, detail });

/** Well-formed, but refused on its content (campaign checks, import lines, render failures). */
export const unprocessable = (detail: string, errors: NonNullable<Problem['errors']>): ProblemError =>
  new ProblemError({
    type: PROBLEM_TYPES.validation,
    title: 'Unprocessable content',
    status: 422,
    detail,
    errors,
  });

export const badRequest = (detail: string, errors: NonNullable<Problem['errors']> = []): ProblemError =>
  new ProblemError({ type: PROBLEM_TYPES.validation, title: 'Invalid request', status: 400, detail, errors });

export const badRequestFrom = (error: ZodError, detail: string): ProblemError =>
  badRequest(detail, zodErrors(error));

export const problemSchema = baseProblemSchema.clone().openapi('Problem');

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The failures every authenticated JSON route can answer with. */
export const commonErrors = {
  400: problemResponse(
    'The request does not match the schema (each zod issue with its path), or malformed JSON',
  ),
  401: problemResponse('Missing or wrong bearer token'),
  413: problemResponse('The body is larger than the configured limit'),
  415: problemResponse('The body is not JSON'),
} as const;
export const notFoundResponse = { 404: problemResponse('No such resource') } as const;
export const conflictResponse = { 409: problemResponse('The resource already exists') } as const;
export const unprocessableResponse = {
  422: problemResponse('Well-formed but refused, with every reason'),
} as const;

export const security = [{ bearerAuth: [] }];

/** Serves a JSON body as the route declares it (hono's typed `c.json`). */
export const jsonContent = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A sub-app of the ops API: schema failures and thrown ProblemErrors become problem JSON. */
export function opsApp(log: ApiLog): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) return validationProblem(c, result.error);
    },
  });
  app.onError((err, c) => toProblem(err, c, log));
  return app;
}

export function toProblem(err: unknown, c: Context, log: ApiLog): Response {
  if (err instanceof ProblemError) return problem(c, err.problem);
  if (err instanceof HTTPException) {
    // hono's own refusals: malformed JSON (400), a body that is not JSON (415), body limit (413).
    if (err.status === 415)
      return problem(c, {
        type: PROBLEM_TYPES.unsupportedMedia,
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the body as application/json.',
      });
    if (err.status === 413)
      return problem(c, { type: PROBLEM_TYPES.tooLarge, title: 'Payload too large', status: 413 });
    return problem(c, {
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      status: err.status,
      detail: err.message || 'The request could not be read.',
    });
  }
  log.error('unhandled ops API error', err);
  return problem(c, { type: PROBLEM_TYPES.internal, title: 'Internal error', status: 500 });
}
