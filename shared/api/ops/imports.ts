// Bulk imports in the body: POST /v1/customers:import, /v1/contracts:import, /v1/events:import.
// A JSON array or NDJSON; all or nothing through the same importDocuments as the CLI: any bad line
// and nothing is stored, every problem listed with its line (1-based element or line number).

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
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
  if (/^application\/(x-)?ndjson\b/i.test(contentType)) return () => ndjsonLines(text.split(/\r?\n/));
  throw new ProblemError({
    type: PROBLEM_TYPES.unsupportedMedia,
    title: 'Unsupported media type',
    status: 415,
    detail: 'Send application/json (an array) or application/x-ndjson.',
  });
}

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
        },
      }),
      async (c) => {
        const read = parseBody(c.req.header('content-type') ?? '', await c.req.text());
        const out = await importDocumentLines(deps.store, { kind, read });
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
          },
          200,
        );
      },
    );
  }
  return app;
}
