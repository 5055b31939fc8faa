// Import uploads without S3: the upload URL points at the local API itself
// (PUT /local-uploads/<importId>?expires=…&signature=…), signed with an HMAC like a presigned URL,
// so no bearer token travels with it and it stops working when it expires. The body streams to
// <data dir>/uploads/<importId>; then the same runImportJob as the cloud's importer Lambda runs
// in-process, reading that file twice.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { ImportStore } from '../shared/import/check.js';
import type { Clock } from '../shared/ports/clock.js';
import type { ImportJob, ImportUploads } from '../shared/ports/import-jobs.js';
import type { Stores } from '../shared/store/stores.js';
import { runImportJob } from '../shared/usecases/imports/run-import.js';

export interface LocalUploadsOptions {
  dataDir: string;
  store: ImportStore & Pick<Stores, 'importJobs'>;
  clock: Clock;
  /** HMAC key; a fresh random one per process by default (URLs die with the server). */
  secret?: Uint8Array;
  log?: { error(message: string, extra?: unknown): void };
}

const ID = /^[0-9A-Z]{26}$/;

export class LocalUploads implements ImportUploads {
  private readonly secret: Uint8Array;
  private readonly dir: string;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly opts: LocalUploadsOptions) {
    this.secret = opts.secret ?? randomBytes(32);
    this.dir = join(opts.dataDir, 'uploads');
  }

  async uploadUrl(input: { job: Pick<ImportJob, 'id'>; expiresAt: Date; origin: string }): Promise<string> {
    const expires = String(Math.floor(input.expiresAt.getTime() / 1000));
    const url = new URL(`/local-uploads/${input.job.id}`, input.origin);
    url.searchParams.set('expires', expires);
    url.searchParams.set('signature', this.sign(input.job.id, expires));
    return url.toString();
  }

  async receive(input: {
    importId: string;
    expires: string | undefined;
    signature: string | undefined;
    body: ReadableStream<Uint8Array> | null;
  }): Promise<'accepted' | 'forbidden' | 'not-found' | 'already-uploaded'> {
    const { importId, expires, signature } = input;
    if (!ID.test(importId) || !expires || !signature || !/^\d{1,12}$/.test(expires)) return 'forbidden';
    if (!this.verify(importId, expires, signature)) return 'forbidden';
    if (Number(expires) * 1000 <= this.opts.clock.now().getTime()) return 'forbidden';
    const job = await this.opts.store.importJobs.getImportJob(importId);
    if (!job) return 'not-found';
    if (job.status !== 'pending') return 'already-uploaded';
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, importId);
    // The web stream's type from the DOM lib and node:stream/web's differ only nominally.
    const body: NodeWebStream<Uint8Array> | null = input.body;
    await pipeline(
      body ? Readable.fromWeb(body) : Readable.from([]),
      createWriteStream(path, { mode: 0o600 }),
    );
    const run = runImportJob(
      { store: this.opts.store, ...(this.opts.log && { log: this.opts.log }) },
      { importId, open: () => createReadStream(path) },
    )
      .catch((err: unknown) => this.opts.log?.error('local import failed', err))
      // The upload is only needed for the two passes.
      .finally(() => rm(path, { force: true }));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return 'accepted';
  }

  /** Resolves when every import started so far has finished (shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private sign(importId: string, expires: string): string {
    return createHmac('sha256', this.secret).update(`${importId}\n${expires}`).digest('base64url');
  }

  private verify(importId: string, expires: string, signature: string): boolean {
    const want = Buffer.from(this.sign(importId, expires));
    const got = Buffer.from(signature);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
