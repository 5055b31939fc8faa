// Bulk imports in the body: POST /v1/customers:import, /v1/contracts:import, /v1/events:import.
// A JSON array or NDJSON; all or nothing through the same importDocuments as the CLI: any bad line
// and nothing is stored, every problem listed with its line (1-based element or line number).

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { ImportIncompleteError } from '../../import/errors.js';
import { ndjsonLines, type ParsedLine } from '../../import/parse.js';
import type { DocumentKind } from '../../import/validate.js';
import { importDocumentLines } from '../../usecases/imports/import-documents.js';
import { importResultSchema } from '../../usecases/imports/schemas.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES } from '../problem.js';
import {
  badRequest,
  commonErrors,
  jsonContent,
  opsApp,
  ProblemError,
  problemSchema,
  security,
  unprocessableResponse,
} from './common.js';

/** Reads the body as the content type says: NDJSON lines keep their physical line numbers. */
function parseBody(contentType: string, text: string): () => AsyncIterable<ParsedLine> {
  if (/^application\/json\b/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badRequest('Malformed JSON in request body.');
    }
    if (!Array.isArray(parsed))
      throw badRequest('Send a JSON array of documents (or NDJSON).', [
        { path: '', message: 'expected an array' },
      ]);
    const values: unknown[] = parsed;
    return async function* () {
      for (let i = 0; i < values.length; i++) yield { line: i + 1, value: values[i] };
    };
  }
  if (/^application\/(x-)?ndjson\b/i.test(contentType)) return () => ndjsonLines([text]);
  throw new ProblemError({
    type: PROBLEM_TYPES.unsupportedMedia,
    title: 'Unsupported media type',
    status: 415,
    detail: 'Send application/json (an array) or application/x-ndjson.',
  });
}

const incompleteResponse = {
  503: {
    description:
      'Validated but not all written (the store failed; the detail says how many were): the same request again completes it',
    content: { 'application/problem+json': { schema: problemSchema } },
  },
} as const;

export function importRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  for (const kind of ['customers', 'contracts', 'events'] as const satisfies readonly DocumentKind[]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/${kind}:import`,
        tags: ['imports'],
        security,
        summary: `Import ${kind}: all or nothing (upserts by id${kind === 'events' ? '; events insert-if-absent' : ''})`,
        request: {
          // Not `required`: the framework then validates only JSON bodies and leaves NDJSON to us.
          body: {
            content: {
              'application/json': {
                schema: z.array(z.unknown()).openapi({ description: `An array of ${kind}` }),
              },
              'application/x-ndjson': { schema: z.string().openapi({ description: 'One document a line' }) },
            },
          },
        },
        responses: {
          200: jsonContent(importResultSchema.clone(), 'Imported'),
          ...commonErrors,
          ...unprocessableResponse,
          ...incompleteResponse,
        },
      }),
      async (c) => {
        const read = parseBody(c.req.header('content-type') ?? '', await c.req.text());
        const out = await importDocumentLines(deps.store, { kind, read }).catch((err: unknown) => {
          if (!(err instanceof ImportIncompleteError)) throw err;
          // Validated, partly written: the client's next step is the same request again, which completes it.
          deps.log.error('import stopped while writing', err);
          throw new ProblemError({
            type: PROBLEM_TYPES.unavailable,
            title: 'Service unavailable',
            status: 503,
            // The cause stays in the log: a store's message is no business of the client's.
            detail: `the import stopped after ${err.written} of ${err.count} validated documents were written; the same request again completes it and ends exactly as one clean import would`,
          });
        });
        if (!out.ok)
          throw new ProblemError({
            type: PROBLEM_TYPES.validation,
            title: 'Unprocessable content',
            status: 422,
            detail: `${out.errorCount} problem(s) in ${out.count} document(s); nothing was stored.${out.moreErrors > 0 ? ` ${out.moreErrors} more not listed.` : ''}`,
            errors: out.errors,
          });
        return c.json(
          {
            count: out.count,
            written: out.written,
            ...(out.newEvents !== undefined && { newEvents: out.newEvents }),
            ...(out.keptOptedOut !== undefined && { keptOptedOut: out.keptOptedOut }),
          },
          200,
        );
      },
    );
  }
  return app;
}
