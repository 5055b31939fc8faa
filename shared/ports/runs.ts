// A run's meta, batches and results: what the state machine passes by reference between states.
import type { DeliveryStatus, PlannedTouch, TouchKey } from '../domain/touch.js';

/** A run's plan, kept in the store so the state machine passes only references between states. */
export interface RunBatch {
  runId: string;
  batchId: string;
  sendAt: string;
  touches: PlannedTouch[];
  /**
   * The touches (by index) that open their campaign × customer × occasion exposure unit: SendBatch
   * records those units as treated (docs/attribution.md). Absent on batches planned before.
   */
  opensUnits?: number[];
  results?: {
    key: TouchKey;
    status: DeliveryStatus;
    providerMessageId?: string;
    error?: string;
    reason?: string;
  }[];
}

export interface RunMeta {
  runId: string;
  date: string;
  campaignId?: string;
  startedAt: string;
  status: 'planning' | 'sending' | 'completed' | 'failed';
  summary?: RunSummary;
  /** Started by the schedule (not `run --date`, not the API). */
  scheduled?: boolean;
  /** Earlier local dates this scheduled run catches up, re-timed into `date`'s window (docs/scheduling.md). */
  catchUp?: string[];
  /** An intraday run (event and contract-start anchors, docs/scheduling.md): marks no date completed. */
  intraday?: boolean;
}

export interface RunSummary {
  planned: number;
  sent: number;
  suppressed: number;
  failed: number;
  /** Send window closed before the batch ran (not held: a later run may send them). */
  expired?: number;
  /** Held by a reservation that was never settled: listed for review, never resent. */
  unknown?: number;
  /**
   * Batches that failed after their retries (present only when non-zero): the run partly failed;
   * their touches are reported `failed` (reason `batch-failed`) and the other batches went on.
   */
  failedBatches?: number;
  byReason: Record<string, number>;
}

export interface RunStore {
  putRunMeta(meta: RunMeta): Promise<void>;
  getRunMeta(runId: string): Promise<RunMeta | undefined>;
  putRunBatches(batches: readonly RunBatch[]): Promise<void>;
  /** Suppressed touches of the run (for the report), in planning order. */
  putRunSuppressed(runId: string, touches: readonly PlannedTouch[]): Promise<void>;
  getRunBatch(runId: string, batchId: string): Promise<RunBatch | undefined>;
  putRunBatchResults(
    runId: string,
    batchId: string,
    results: NonNullable<RunBatch['results']>,
  ): Promise<void>;
  /** Everything the run planned, in planning order, with results where the batch has run. */
  getRunReport(
    runId: string,
  ): Promise<{ meta: RunMeta; batches: RunBatch[]; suppressed: PlannedTouch[] } | undefined>;
  /** Marks local dates as done by a completed all-campaign run; the first scheduled one is remembered for good. */
  markDatesCompleted(
    dates: readonly string[],
    run: { runId: string; scheduled: boolean; completedAt: string },
  ): Promise<void>;
  /** The dates in [fromDay, toDay] that a completed all-campaign run covered. */
  completedDates(fromDay: string, toDay: string): Promise<Set<string>>;
  /** The local date of the first scheduled run that ever completed (catch-up never reaches before it). */
  firstScheduledDate(): Promise<string | undefined>;
  /** Records that an all-campaign run started planning these dates (it holds them while it runs). */
  claimDates(dates: readonly string[], run: { runId: string; startedAt: string }): Promise<void>;
  /** Every claim on a date in [fromDay, toDay]. */
  dateClaims(fromDay: string, toDay: string): Promise<DateClaim[]>;
  /**
   * Records that a schedule firing starts run `runId`, unless it already started one (a Scheduler
   * retry or a replay of it): returns the run id that holds the firing, `runId` the first time.
   */
  recordFiring(firing: string, runId: string): Promise<string>;
}

export interface DateClaim {
  date: string;
  runId: string;
  startedAt: string;
}
