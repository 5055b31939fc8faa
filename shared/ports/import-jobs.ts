// Large imports uploaded out of band (S3 in the cloud, the local API locally), then run by id.

export type ImportJobKind = 'customers' | 'contracts' | 'events';
export type ImportJobFormat = 'ndjson' | 'csv';
export type ImportJobStatus = 'pending' | 'validating' | 'writing' | 'succeeded' | 'failed';

/** A large import uploaded out of band (S3 in the cloud, the local API locally), then run by id. */
export interface ImportJob {
  id: string;
  kind: ImportJobKind;
  format: ImportJobFormat;
  status: ImportJobStatus;
  createdAt: string;
  updatedAt: string;
  /** When the upload URL stops working (ISO). */
  uploadExpiresAt: string;
  count?: number;
  written?: number;
  newEvents?: number;
  /** Customers: records kept opted out (docs/consent.md). */
  keptOptedOut?: number;
  /** The first problems by line (at most 1000); errorCount counts them all. */
  errors?: { line: number; path: string; message: string }[];
  errorCount?: number;
  /** Why the job failed as a whole (unreadable object, changed during the import, crash). */
  message?: string;
}

export type ImportJobUpdate = Partial<
  Pick<
    ImportJob,
    'status' | 'count' | 'written' | 'newEvents' | 'keptOptedOut' | 'errors' | 'errorCount' | 'message'
  >
>;

export interface ImportJobs {
  createImportJob(job: ImportJob): Promise<void>;
  getImportJob(id: string): Promise<ImportJob | undefined>;
  /**
   * Moves a job from `from` to a new state; false when it is not in `from` (another delivery of the
   * same upload claimed it first, or it finished).
   */
  updateImportJob(id: string, from: readonly ImportJobStatus[], update: ImportJobUpdate): Promise<boolean>;
}

/** Where a client uploads an import file: an S3 presigned PUT in the cloud, the local API locally. */
export interface ImportUploads {
  /** A URL the client PUTs the file to, valid until `expiresAt`; `origin` is the API's own origin. */
  uploadUrl(input: {
    job: Pick<ImportJob, 'id' | 'kind' | 'format'>;
    expiresAt: Date;
    expiresInSeconds: number;
    origin: string;
  }): Promise<string>;
  /**
   * Present only when the API itself receives the PUT (locally, where there is no S3): checks the
   * URL's signature and expiry, stores the body and starts the import in the background. The same
   * bytes PUT again are `accepted` without a second import; other bytes are `already-uploaded`; a
   * body that ends early is `incomplete` (and the URL can be used again).
   */
  receive?(input: {
    importId: string;
    expires: string | undefined;
    signature: string | undefined;
    body: ReadableStream<Uint8Array> | null;
  }): Promise<'accepted' | 'forbidden' | 'not-found' | 'already-uploaded' | 'incomplete'>;
}
