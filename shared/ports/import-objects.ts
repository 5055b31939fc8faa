// The bytes of an uploaded import and the chunked import's work files (S3 in the cloud; an
// in-memory object in tests). Reads are pinned: every read after the first names the ETag the plan
// saw, so an object replaced mid-import fails the read instead of feeding other bytes.

/** Bytes [start, end) of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ImportObjects {
  /**
   * The object's bytes (a range of them when `range` is given) and its ETag. With `etag`, an object
   * whose ETag differs fails with ImportSourceError `changed-during-import`.
   */
  read(input: {
    bucket: string;
    key: string;
    range?: ByteRange;
    etag?: string;
  }): Promise<{ body: AsyncIterable<Uint8Array>; etag: string }>;
  /** Writes a small work file (ids, problems) next to the upload. */
  putWork(bucket: string, key: string, text: string): Promise<void>;
  /** A work file's text, or undefined when it is not there. */
  getWork(bucket: string, key: string): Promise<string | undefined>;
}

/** Starts the chunked import of one upload: one execution per import id. */
export interface ImportMachine {
  start(input: { importId: string; bucket: string; key: string }): Promise<'started' | 'already-started'>;
}
