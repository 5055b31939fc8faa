// Large imports through an upload URL (issue 5): POST /v1/imports creates a job and hands out a
// presigned PUT URL (S3 in the cloud; the local API itself locally), the client PUTs the file, an
// importer runs the same all-or-nothing import as /v1/{kind}:import, and GET /v1/imports/{id}
// reports the job. PUT /local-uploads/{id} exists only where the API receives uploads itself.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { ulid } from 'ulid';
import type { ImportJob } from '../../ports/import-jobs.js';
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

/** How long an upload URL works: enough for a large file on a slow link, short enough to leak little. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

const createBody = z
  .object({
    kind: z.enum(['customers', 'contracts', 'events']),
    format: z.enum(['ndjson', 'csv']).default('ndjson'),
  })
  .strict()
  .openapi('ImportJobRequest');

const created = z
  .object({
    importId: z.string(),
    uploadUrl: z.string(),
    method: z.literal('PUT'),
    expiresAt: z.string(),
  })
  .openapi('ImportUpload');

const jobView = z
  .object({
    importId: z.string(),
    kind: z.enum(['customers', 'contracts', 'events']),
    format: z.enum(['ndjson', 'csv']),
    status: z.enum(['pending', 'validating', 'writing', 'succeeded', 'failed']),
    createdAt: z.string(),
    updatedAt: z.string(),
    count: z.number().int().optional(),
    written: z.number().int().optional(),
    newEvents: z.number().int().optional(),
    errors: z.array(z.object({ line: z.number().int(), path: z.string(), message: z.string() })).optional(),
    errorCount: z.number().int().optional(),
    message: z.string().optional(),
  })
  .openapi('ImportJob');

const view = (job: ImportJob): z.infer<typeof jobView> => {
  const { id, uploadExpiresAt: _u, ...rest } = job;
  return { importId: id, ...rest };
};

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
      responses: { 201: jsonContent(created, 'Upload the file to uploadUrl with PUT'), ...commonErrors },
    }),
    async (c) => {
      const uploads = deps.uploads;
      if (!uploads) throw notConfigured();
      const { kind, format } = c.req.valid('json');
      if (format === 'csv' && kind === 'events')
        throw badRequest('Events are imported from NDJSON only, not CSV.', [
          { path: 'format', message: 'events need ndjson' },
        ]);
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000);
      const job: ImportJob = {
        id: ulid(now.getTime()),
        kind,
        format,
        status: 'pending',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        uploadExpiresAt: expiresAt.toISOString(),
      };
      await deps.store.importJobs.createImportJob(job);
      const uploadUrl = await uploads.uploadUrl({
        job,
        expiresAt,
        expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
        origin: new URL(c.req.url).origin,
      });
      return c.json(
        { importId: job.id, uploadUrl, method: 'PUT' as const, expiresAt: job.uploadExpiresAt },
        201,
      );
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
      responses: { 200: jsonContent(jobView, 'The job'), ...commonErrors, ...notFoundResponse },
    }),
    async (c) => {
      const { importId } = c.req.valid('param');
      const job = await deps.store.importJobs.getImportJob(importId);
      if (!job) throw notFound(`Import ${importId}`);
      return c.json(view(job), 200);
    },
  );

  const receive = deps.uploads?.receive?.bind(deps.uploads);
  if (receive) {
    // Outside /v1: the signature in the URL authorizes it (like a presigned S3 URL), and the body
    // limit does not apply (it is streamed to disk, never held in memory).
    app.put('/local-uploads/:importId', async (c) => {
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
      throw new ProblemError({
        type: PROBLEM_TYPES.conflict,
        title: 'Conflict',
        status: 409,
        detail: 'This import was already uploaded; create a new import for another file.',
      });
    });
  }
  return app;
}
