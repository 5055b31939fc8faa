// Import uploads without S3: the upload URL points at the local API itself
// (PUT /local-uploads/<importId>?expires=…&signature=…), signed with an HMAC like a presigned URL,
// so no bearer token travels with it and it stops working when it expires. Each PUT streams to a
// file of its own; the first to arrive whole becomes <data dir>/uploads/<importId> (read-only, never
// written again) and the same runImportJob as the cloud's importer Lambda runs in-process, reading
// that file twice. A later PUT of the same bytes (a client retrying, or the same file sent twice at
// once) is answered 200 and changes nothing; one of other bytes is refused (409), as is any PUT once
// the job has left `pending` in another process.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { chmod, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { LOCAL_UPLOAD_PREFIX } from '../shared/api/ops/uploads.js';
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
/** An upload file older than this belongs to no running import. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

export class LocalUploads implements ImportUploads {
  private readonly secret: Uint8Array;
  private readonly dir: string;
  private readonly running = new Set<Promise<unknown>>();
  /** The upload each job runs on, by import id: its SHA-256, kept until its URL expires. */
  private readonly claims = new Map<string, { digest: string; expiresMs: number }>();
  private swept = false;

  constructor(private readonly opts: LocalUploadsOptions) {
    this.secret = opts.secret ?? randomBytes(32);
    this.dir = join(opts.dataDir, 'uploads');
  }

  async uploadUrl(input: { job: Pick<ImportJob, 'id'>; expiresAt: Date; origin: string }): Promise<string> {
    const expires = String(Math.floor(input.expiresAt.getTime() / 1000));
    const url = new URL(`${LOCAL_UPLOAD_PREFIX}${input.job.id}`, input.origin);
    url.searchParams.set('expires', expires);
    url.searchParams.set('signature', this.sign(input.job.id, expires));
    return url.toString();
  }

  async receive(input: {
    importId: string;
    expires: string | undefined;
    signature: string | undefined;
    body: ReadableStream<Uint8Array> | null;
  }): Promise<'accepted' | 'forbidden' | 'not-found' | 'already-uploaded' | 'incomplete'> {
    const { importId, expires, signature } = input;
    if (!ID.test(importId) || !expires || !signature || !/^\d{1,12}$/.test(expires)) return 'forbidden';
    if (!this.verify(importId, expires, signature)) return 'forbidden';
    const now = this.opts.clock.now().getTime();
    if (Number(expires) * 1000 <= now) return 'forbidden';
    const job = await this.opts.store.importJobs.getImportJob(importId);
    if (!job) return 'not-found';
    for (const [id, claim] of this.claims) if (claim.expiresMs <= now) this.claims.delete(id);
    if (job.status !== 'pending' && !this.claims.has(importId)) return 'already-uploaded';
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    await this.sweepOnce();
    // A file of this PUT's own: two PUTs at once never write into one file, and neither can remove
    // or truncate the file an import is reading.
    const part = join(this.dir, `${importId}.${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    // The web stream's type from the DOM lib and node:stream/web's differ only nominally.
    const body: NodeWebStream<Uint8Array> | null = input.body;
    try {
      await pipeline(
        body ? Readable.fromWeb(body) : Readable.from([]),
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(part, { mode: 0o600 }),
      );
    } catch {
      // The client went away mid-body: nothing of it counts, and the URL can be used again.
      await rm(part, { force: true });
      return 'incomplete';
    }
    const digest = hash.digest('hex');
    // Check and claim with no await between them: of two PUTs at once, exactly one runs the job.
    const claimed = this.claims.get(importId);
    if (claimed || job.status !== 'pending') {
      await rm(part, { force: true });
      return claimed?.digest === digest ? 'accepted' : 'already-uploaded';
    }
    this.claims.set(importId, { digest, expiresMs: Number(expires) * 1000 });
    const path = join(this.dir, importId);
    try {
      await chmod(part, 0o400);
      await rename(part, path);
    } catch (err) {
      this.claims.delete(importId);
      await rm(part, { force: true });
      throw err;
    }
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

  /**
   * Uploads hold customers' data and are removed when their import ends; a process killed mid-upload
   * or mid-import leaves its file behind. The first upload of a later process removes any older
   * than a day (no local import runs that long; a younger one may belong to a live process).
   */
  private async sweepOnce(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    // Real time, not the (possibly simulated) clock: file times are real.
    const before = Date.now() - STALE_UPLOAD_MS;
    for (const name of await readdir(this.dir).catch(() => [])) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() && info.mtimeMs < before) await rm(path, { force: true });
    }
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
