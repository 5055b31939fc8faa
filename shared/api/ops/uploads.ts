// Large imports through an upload URL: POST /v1/imports creates a job and hands out a
// presigned PUT URL (S3 in the cloud; the local API itself locally), the client PUTs the file, an
// importer runs the same all-or-nothing import as /v1/{kind}:import, and GET /v1/imports/{id}
// reports the job. PUT /local-uploads/{id} exists only where the API receives uploads itself.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { importJobViewSchema, importUploadSchema } from '../../usecases/imports/schemas.js';
import { importJobView, startUploadImport } from '../../usecases/imports/upload-import.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES } from '../problem.js';
import {
  badRequest,
  commonErrors,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  ProblemError,
  security,
} from './common.js';

/** Where the local API receives an upload (the local stand-in for a presigned S3 URL). */
export const LOCAL_UPLOAD_PREFIX = '/local-uploads/';

const createBody = z
  .object({
    kind: z.enum(['customers', 'contracts', 'events']),
    format: z.enum(['ndjson', 'csv']).default('ndjson'),
  })
  .strict()
  .openapi('ImportJobRequest');

const notConfigured = () =>
  new ProblemError({
    type: PROBLEM_TYPES.internal,
    title: 'Not implemented',
    status: 501,
    detail: 'This deployment has no upload bucket; send imports in the body instead.',
  });

export function uploadRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/imports',
      tags: ['imports'],
      security,
      summary:
        'Start a large import: returns a URL to PUT the file to (NDJSON, or CSV for customers/contracts)',
      request: { body: { required: true, content: { 'application/json': { schema: createBody } } } },
      responses: {
        201: jsonContent(
          importUploadSchema.clone().openapi('ImportUpload'),
          'Upload the file to uploadUrl with PUT',
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const result = await startUploadImport(
        { importJobs: deps.store.importJobs, uploads: deps.uploads, clock: deps.clock },
        { ...c.req.valid('json'), origin: new URL(c.req.url).origin },
      );
      if (result.ok) return c.json(result.value, 201);
      if (result.reason === 'not-configured') throw notConfigured();
      throw badRequest('Events are imported from NDJSON only, not CSV.', [
        { path: 'format', message: 'events need ndjson' },
      ]);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/imports/{importId}',
      tags: ['imports'],
      security,
      summary: 'An import job: pending until uploaded, then validating, writing, succeeded or failed',
      request: { params: z.object({ importId: z.string().regex(/^[0-9A-Z]{26}$/) }) },
      responses: {
        200: jsonContent(importJobViewSchema.clone().openapi('ImportJob'), 'The job'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { importId } = c.req.valid('param');
      const job = await importJobView(deps.store, importId);
      if (!job) throw notFound(`Import ${importId}`);
      return c.json(job, 200);
    },
  );

  const receive = deps.uploads?.receive?.bind(deps.uploads);
  if (receive) {
    // Outside /v1: the signature in the URL authorizes it (like a presigned S3 URL), and the body
    // limit does not apply (it is streamed to disk, never held in memory).
    app.put(`${LOCAL_UPLOAD_PREFIX}:importId`, async (c) => {
      const outcome = await receive({
        importId: c.req.param('importId'),
        expires: c.req.query('expires'),
        signature: c.req.query('signature'),
        body: c.req.raw.body,
      });
      if (outcome === 'accepted') return c.body(null, 200);
      if (outcome === 'forbidden')
        throw new ProblemError({
          type: PROBLEM_TYPES.unauthorized,
          title: 'Forbidden',
          status: 403,
          detail: 'The upload URL is expired or its signature does not match.',
        });
      if (outcome === 'not-found') throw notFound(`Import ${c.req.param('importId')}`);
      if (outcome === 'incomplete')
        throw badRequest('The upload ended before its body did; PUT the whole file to the same URL again.');
      throw new ProblemError({
        type: PROBLEM_TYPES.conflict,
        title: 'Conflict',
        status: 409,
        detail: 'This import was already uploaded with other content; create a new import for another file.',
      });
    });
  }
  return app;
}
