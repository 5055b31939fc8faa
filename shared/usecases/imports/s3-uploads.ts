// The cloud side of import uploads: presigned S3 PUT URLs for `imports/<importId>/<kind>.<format>`
// (the only prefix the API may sign for and the importer may read), and the uploaded object as a
// stream for runImportJob.

import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ImportSourceError } from '../../import/errors.js';
import type { ImportJob, ImportJobFormat, ImportJobKind, ImportUploads } from '../../ports/import-jobs.js';

/** Every upload object lives under this prefix; the IAM grants are scoped to it. */
export const IMPORT_PREFIX = 'imports/';

export const importObjectKey = (job: Pick<ImportJob, 'id' | 'kind' | 'format'>): string =>
  `${IMPORT_PREFIX}${job.id}/${job.kind}.${job.format}`;

const KEY = /^imports\/([0-9A-HJKMNP-TV-Z]{26})\/(customers|contracts|events)\.(ndjson|csv)$/;
const KINDS: Record<string, ImportJobKind> = {
  customers: 'customers',
  contracts: 'contracts',
  events: 'events',
};
const FORMATS: Record<string, ImportJobFormat> = { ndjson: 'ndjson', csv: 'csv' };

/** The job an object key names, or undefined for any other key (never ours to import). */
export function parseImportObjectKey(
  key: string,
): { importId: string; kind: ImportJobKind; format: ImportJobFormat } | undefined {
  const m = KEY.exec(key);
  const [, importId, kind, format] = m ?? [];
  const k = kind ? KINDS[kind] : undefined;
  const f = format ? FORMATS[format] : undefined;
  return importId && k && f ? { importId, kind: k, format: f } : undefined;
}

export class S3ImportUploads implements ImportUploads {
  constructor(private readonly opts: { client: S3Client; bucket: string }) {}

  async uploadUrl(input: {
    job: Pick<ImportJob, 'id' | 'kind' | 'format'>;
    expiresInSeconds: number;
  }): Promise<string> {
    return getSignedUrl(
      this.opts.client,
      new PutObjectCommand({ Bucket: this.opts.bucket, Key: importObjectKey(input.job) }),
      { expiresIn: input.expiresInSeconds },
    );
  }
}

export class UploadUnreadableError extends Error {
  override readonly name = 'UploadUnreadableError';
}

/**
 * The object's body as a Node stream (what the SDK returns in Node); each call is a new GetObject
 * of the same bytes: the first read's ETag is required of every later one (If-Match), so an object
 * replaced in between (a second PUT to the same upload URL) fails the read, before anything is
 * written, instead of writing other content than was validated.
 */
export function s3ObjectSource(client: S3Client, bucket: string, key: string): () => Promise<Readable> {
  let etag: string | undefined;
  return async () => {
    let out: GetObjectCommandOutput;
    try {
      out = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(etag !== undefined && { IfMatch: etag }) }),
      );
    } catch (err) {
      if (etag !== undefined && isPreconditionFailed(err))
        throw new ImportSourceError(
          'changed-during-import',
          `s3://${bucket}/${key} was replaced after it was validated (another upload to the same URL); nothing was written`,
          { cause: err },
        );
      throw err;
    }
    if (!(out.Body instanceof Readable))
      throw new UploadUnreadableError(`s3://${bucket}/${key} has no readable body`);
    etag ??= out.ETag;
    return out.Body;
  };
}

function isPreconditionFailed(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'PreconditionFailed' || err.$metadata.httpStatusCode === 412)
  );
}

/** The upload bucket's name, set on the API (to presign) and the importer (to read). */
export const IMPORT_BUCKET_ENV = 'IMPORT_BUCKET';
