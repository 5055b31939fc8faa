// Large imports through an upload URL: a job is created with a URL to PUT the file to (S3 presigned
// in the cloud, the local API locally); the importer (run-import.ts) runs it once the file is there.
import { ulid } from 'ulid';
import type { z } from 'zod';
import type { Clock } from '../../ports/clock.js';
import type { ImportJob, ImportJobs, ImportUploads } from '../../ports/import-jobs.js';
import type { importJobViewSchema, importUploadSchema } from './schemas.js';

/** How long an upload URL works: enough for a large file on a slow link, short enough to leak little. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

export type StartUploadResult =
  | { ok: true; value: z.infer<typeof importUploadSchema> }
  | { ok: false; reason: 'csv-events' | 'not-configured' };

export async function startUploadImport(
  deps: { importJobs: ImportJobs; uploads: ImportUploads | undefined; clock: Clock },
  input: { kind: ImportJob['kind']; format: ImportJob['format']; origin: string },
): Promise<StartUploadResult> {
  const { uploads } = deps;
  if (!uploads) return { ok: false, reason: 'not-configured' };
  if (input.format === 'csv' && input.kind === 'events') return { ok: false, reason: 'csv-events' };
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000);
  const job: ImportJob = {
    id: ulid(now.getTime()),
    kind: input.kind,
    format: input.format,
    status: 'pending',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    uploadExpiresAt: expiresAt.toISOString(),
  };
  await deps.importJobs.createImportJob(job);
  const uploadUrl = await uploads.uploadUrl({
    job,
    expiresAt,
    expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
    origin: input.origin,
  });
  return { ok: true, value: { importId: job.id, uploadUrl, method: 'PUT', expiresAt: job.uploadExpiresAt } };
}

/** Undefined when there is no such job (or it has expired). */
export async function importJobView(
  deps: { importJobs: ImportJobs },
  importId: string,
): Promise<z.infer<typeof importJobViewSchema> | undefined> {
  const job = await deps.importJobs.getImportJob(importId);
  if (!job) return undefined;
  const { id, uploadExpiresAt: _u, ...rest } = job;
  return { importId: id, ...rest };
}
