// The chunked import's ports in the cloud: S3 reads by Range and If-Match, work files under
// import-work/, and the import state machine started once per import id (its execution name).
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ImportSourceError } from '../../import/errors.js';
import type { ByteRange, ImportMachine, ImportObjects } from '../../ports/import-objects.js';
import { UploadUnreadableError } from './s3-uploads.js';

export class S3ImportObjects implements ImportObjects {
  constructor(private readonly client: S3Client) {}

  async read(input: { bucket: string; key: string; range?: ByteRange; etag?: string }) {
    const { bucket, key, range, etag } = input;
    // An empty range (an empty file has no chunk, so only a header could be one) needs no request.
    if (range && range.end <= range.start && etag !== undefined) return { body: emptyBody(), etag };
    let out: GetObjectCommandOutput;
    try {
      out = await this.client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(range && { Range: `bytes=${range.start}-${range.end - 1}` }),
          ...(etag !== undefined && { IfMatch: etag }),
        }),
      );
    } catch (err) {
      if (etag !== undefined && isPreconditionFailed(err))
        throw new ImportSourceError(
          'changed-during-import',
          `s3://${bucket}/${key} was replaced after the import began (another upload to the same URL)`,
          { cause: err },
        );
      throw err;
    }
    if (!(out.Body instanceof Readable))
      throw new UploadUnreadableError(`s3://${bucket}/${key} has no readable body`);
    const tag = out.ETag ?? etag;
    if (tag === undefined) throw new UploadUnreadableError(`s3://${bucket}/${key} has no ETag`);
    return { body: out.Body, etag: tag };
  }

  async putWork(bucket: string, key: string, text: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }),
    );
  }

  async getWork(bucket: string, key: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body?.transformToString('utf8');
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

function isPreconditionFailed(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'PreconditionFailed' || err.$metadata.httpStatusCode === 412)
  );
}

/** Starts the import machine with the import id as the execution name: a second start is refused by Step Functions. */
export class SfnImportMachine implements ImportMachine {
  constructor(private readonly opts: { client: SFNClient; stateMachineArn: string }) {}

  async start(input: {
    importId: string;
    bucket: string;
    key: string;
  }): Promise<'started' | 'already-started'> {
    try {
      await this.opts.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.opts.stateMachineArn,
          name: input.importId,
          input: JSON.stringify(input),
        }),
      );
      return 'started';
    } catch (err) {
      if (err instanceof ExecutionAlreadyExists) return 'already-started';
      throw err;
    }
  }
}
