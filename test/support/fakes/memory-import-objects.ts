// An in-memory S3 for the chunked import: objects with an ETag, ranged and pinned reads, work files.
import { ImportSourceError } from '../../../shared/import/errors.js';
import type { ByteRange, ImportObjects } from '../../../shared/ports/import-objects.js';

export class MemoryImportObjects implements ImportObjects {
  readonly objects = new Map<string, { bytes: Uint8Array; etag: string }>();
  readonly work = new Map<string, string>();
  readonly reads: { key: string; range?: ByteRange }[] = [];
  #version = 0;

  /** Puts (or replaces) an upload; each put gets a new ETag. */
  put(bucket: string, key: string, text: string | Uint8Array): void {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    this.objects.set(`${bucket}/${key}`, { bytes, etag: `"v${++this.#version}"` });
  }

  async read(input: { bucket: string; key: string; range?: ByteRange; etag?: string }) {
    const found = this.objects.get(`${input.bucket}/${input.key}`);
    if (!found) throw new Error(`NoSuchKey ${input.key}`);
    if (input.etag !== undefined && input.etag !== found.etag)
      throw new ImportSourceError('changed-during-import', `${input.key} was replaced; nothing was written`);
    this.reads.push({ key: input.key, ...(input.range && { range: input.range }) });
    const bytes = input.range ? found.bytes.slice(input.range.start, input.range.end) : found.bytes;
    // Small pieces, so readers meet characters and line breaks split across reads.
    async function* body() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.slice(i, i + 7);
    }
    return { body: body(), etag: found.etag };
  }

  async putWork(bucket: string, key: string, text: string): Promise<void> {
    this.work.set(`${bucket}/${key}`, text);
  }

  async getWork(bucket: string, key: string): Promise<string | undefined> {
    return this.work.get(`${bucket}/${key}`);
  }
}

/** The bucket the chunked-import tests upload to. */
export const TEST_IMPORT_BUCKET = 'touchpoint-imports-test';

/** One customers NDJSON line: customer `i`, with `over` merged in. */
export const customerLine = (i: number, over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id: `c-${i}`,
    name: `Customer ${i}`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 10,
    consent: { email: false, sms: false },
    ...over,
  });
