// What the API is composed from: the same ports as the handlers, plus the run starter (the state
// machine in the cloud, the local executor locally) and the API's own settings.

import type { EmailSender, SmsSender } from '../ports/channels.js';
import type { Clock } from '../ports/clock.js';
import type { PersonalDataStore } from '../ports/customer-data.js';
import type { EventPublisher } from '../ports/events.js';
import type { ImportUploads } from '../ports/import-jobs.js';
import type { Stores } from '../store/stores.js';
import type { RunStarter as StartsRuns } from '../usecases/runs/run-now.js';
import type { PartnerRate, PartnerThrottle } from '../usecases/webhooks/partner-throttle.js';

/** The largest request body the API takes inline: one setting, local and cloud (shared/config). */
export { DEFAULT_MAX_BODY_BYTES } from '../config/env.js';

/** Starts a run for local date D (the run-now use case's port) and reads an execution's status. */
export interface RunStarter extends StartsRuns {
  /** The execution's status and, when done, its output. */
  status(
    executionId: string,
  ): Promise<
    { status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN'; output?: unknown; error?: string } | undefined
  >;
}

export interface ApiLog {
  info(message: string, extra?: unknown): void;
  error(message: string, extra?: unknown): void;
}

export interface ApiDeps {
  store: Stores;
  email: EmailSender;
  sms: SmsSender;
  /** Partner events go on the bus; rules route them to ingest-event (in-process locally). */
  events: EventPublisher;
  clock: Clock;
  runs: RunStarter;
  /** Large imports through an upload URL (S3 presigned in the cloud, the local API locally); absent: 501. */
  uploads?: ImportUploads;
  /**
   * Stores outside the table that hold personal data and forget an erased customer: locally the
   * bus log and the outbox; none in the cloud (docs/personal-data.md).
   */
  personalData?: readonly PersonalDataStore[];
  /**
   * Each verified partner's throttle, shared by every instance (the table's booking schedule, cloud
   * and local); absent (unit tests): an in-memory bucket per app at `config.partnerRate`.
   */
  partnerThrottle?: PartnerThrottle;
  log: ApiLog;
  config: {
    /** Bearer token for the marketing-ops endpoints (local development; IAM/Cognito in the cloud). */
    opsToken?: string;
    /** Rollover window during which a rotated partner secret stays valid. */
    secretRolloverMs: number;
    /** Max request body, bytes. */
    maxBodyBytes: number;
    /** Each verified partner's webhook rate (infra's api.partnerThrottle, read from the environment). */
    partnerRate?: PartnerRate;
    unsubscribeSecret: string;
    /** Keys the pseudonyms of erased customers (a generated secret in the cloud, a data-dir key locally). */
    pseudonymKey: string;
  };
}
