// An in-memory RunStore: run meta, batches with their results, suppressed touches, completed dates.
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import type { DateClaim, RunBatch, RunMeta, RunStore } from '../../../shared/ports/runs.js';

export class MemoryRuns implements RunStore {
  readonly metas = new Map<string, RunMeta>();
  readonly batches = new Map<string, RunBatch>();
  readonly suppressed = new Map<string, PlannedTouch[]>();
  readonly completed = new Map<string, { runId: string; scheduled: boolean; completedAt: string }>();
  private firstScheduled: string | undefined;

  async putRunMeta(meta: RunMeta): Promise<void> {
    this.metas.set(meta.runId, structuredClone(meta));
  }
  async getRunMeta(runId: string): Promise<RunMeta | undefined> {
    return structuredClone(this.metas.get(runId));
  }
  async putRunBatches(batches: readonly RunBatch[]): Promise<void> {
    for (const b of batches) this.batches.set(`${b.runId}|${b.batchId}`, structuredClone(b));
  }
  async putRunSuppressed(runId: string, touches: readonly PlannedTouch[]): Promise<void> {
    this.suppressed.set(runId, [...(this.suppressed.get(runId) ?? []), ...structuredClone(touches)]);
  }
  async getRunBatch(runId: string, batchId: string): Promise<RunBatch | undefined> {
    return structuredClone(this.batches.get(`${runId}|${batchId}`));
  }
  async putRunBatchResults(
    runId: string,
    batchId: string,
    results: NonNullable<RunBatch['results']>,
  ): Promise<void> {
    const batch = this.batches.get(`${runId}|${batchId}`);
    if (batch) batch.results = structuredClone(results);
  }
  async getRunReport(
    runId: string,
  ): Promise<{ meta: RunMeta; batches: RunBatch[]; suppressed: PlannedTouch[] } | undefined> {
    const meta = this.metas.get(runId);
    if (!meta) return undefined;
    return structuredClone({
      meta,
      batches: [...this.batches.values()].filter((b) => b.runId === runId),
      suppressed: this.suppressed.get(runId) ?? [],
    });
  }
  async markDatesCompleted(
    dates: readonly string[],
    run: { runId: string; scheduled: boolean; completedAt: string },
  ): Promise<void> {
    for (const d of dates) this.completed.set(d, run);
    const first = run.scheduled ? [...dates].sort()[0] : undefined;
    if (first && this.firstScheduled === undefined) this.firstScheduled = first;
  }
  async completedDates(fromDay: string, toDay: string): Promise<Set<string>> {
    return new Set([...this.completed.keys()].filter((d) => d >= fromDay && d <= toDay));
  }
  async firstScheduledDate(): Promise<string | undefined> {
    return this.firstScheduled;
  }
  readonly claims: DateClaim[] = [];
  async claimDates(dates: readonly string[], run: { runId: string; startedAt: string }): Promise<void> {
    for (const date of dates) this.claims.push({ date, ...run });
  }
  readonly firings = new Map<string, string>();
  async recordFiring(firing: string, runId: string): Promise<string> {
    const held = this.firings.get(firing) ?? runId;
    this.firings.set(firing, held);
    return held;
  }
  async dateClaims(fromDay: string, toDay: string): Promise<DateClaim[]> {
    return this.claims.filter((c) => c.date >= fromDay && c.date <= toDay).map((c) => ({ ...c }));
  }

  /** The erase's reach into run items: the customer's touches keep their planning facts only. */
  anonymise(customerId: string, anonymousId: string, pseudonym: (occasion: string) => string): number {
    let count = 0;
    const anonymised = (t: PlannedTouch): PlannedTouch => {
      if (t.customerId !== customerId) return t;
      count++;
      const { address: _a, contract: _c, event: _e, ...kept } = t;
      return { ...kept, customerId: anonymousId, occasion: pseudonym(t.occasion) };
    };
    for (const batch of this.batches.values()) {
      batch.touches = batch.touches.map(anonymised);
      batch.results = batch.results?.map((r) =>
        r.key.customerId === customerId
          ? {
              key: { ...r.key, customerId: anonymousId, occasion: pseudonym(r.key.occasion) },
              status: r.status,
              ...(r.reason !== undefined && { reason: r.reason }),
            }
          : r,
      );
    }
    for (const [runId, touches] of this.suppressed) this.suppressed.set(runId, touches.map(anonymised));
    return count;
  }
}
