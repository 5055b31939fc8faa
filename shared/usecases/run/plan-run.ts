// PlanRun: plans the day, records every suppressed touch in the ledger with its reason, and stores
// the planned touches as batches grouped by send time. Only send chunks (a send time and a range of
// batch numbers) go back to the state machine, so a run of any size stays under Step Functions'
// payload limit (docs/run-at-scale.md).
import { chunkByJsonSize, MAX_RUN_ITEM_TOUCH_BYTES } from '../../domain/limits.js';
import { type PlannedTouch, touchKeyString } from '../../domain/touch.js';
import type { Clock } from '../../ports/clock.js';
import type { Ledger } from '../../ports/ledger.js';
import type { RunBatch } from '../../ports/runs.js';
import type { Stores } from '../../store/stores.js';
import type { PlanStores } from '../plan-day.js';
import { planDayTouches } from '../plan-day.js';
import { type ExposureStores, exposureUnit, recordExposureUnits, unitOpeners } from '../results/attribute.js';
import { planIntradayTouches } from './intraday.js';
import { batchIdOf, type SendChunk, sendChunksOf } from './send-chunks.js';
import type { StartedRun } from './start-run.js';

export const BATCH_SIZE = 50;
export { batchIdOf, CHUNK_BATCHES, type SendChunk, sendChunksOf } from './send-chunks.js';

export interface PlannedRun {
  runId: string;
  date: string;
  batches: { batchId: string; sendAt: string }[];
  /** The batches as chunks for the state machine, in send-time order. */
  chunks: SendChunk[];
  planned: number;
  suppressed: number;
}

/**
 * The run's batches: touches grouped by send time, at most `size` a batch and at most `maxBytes` of
 * touches as JSON (touches carry their event, so 50 of them could outgrow a 400 KB item).
 */
export function batchesOf(
  runId: string,
  planned: readonly PlannedTouch[],
  size = BATCH_SIZE,
  maxBytes = MAX_RUN_ITEM_TOUCH_BYTES,
  opensUnit: (t: PlannedTouch) => boolean = () => false,
): RunBatch[] {
  const bySendAt = new Map<string, PlannedTouch[]>();
  for (const t of planned) {
    const group = bySendAt.get(t.sendAt);
    if (group) group.push(t);
    else bySendAt.set(t.sendAt, [t]);
  }
  const batches: RunBatch[] = [];
  for (const sendAt of [...bySendAt.keys()].sort()) {
    chunkByJsonSize(bySendAt.get(sendAt) ?? [], size, maxBytes).forEach((touches, i) => {
      const opensUnits = touches.flatMap((t, j) => (opensUnit(t) ? [j] : []));
      batches.push({
        runId,
        batchId: batchIdOf(sendAt, i),
        sendAt,
        touches,
        ...(opensUnits.length > 0 && { opensUnits }),
      });
    });
  }
  return batches;
}

/**
 * Plans the run's catch-up dates (oldest first), then its own date. Caught-up touches are timed into
 * the run date's window; each date's plan counts the earlier ones for caps, and a key planned twice
 * in one run is sent once.
 */
export async function planRunTouches(store: PlanStores, run: StartedRun): Promise<PlannedTouch[]> {
  const all: PlannedTouch[] = [];
  const keysPlanned = new Set<string>();
  for (const date of [...(run.catchUp ?? []), run.date]) {
    const touches = await planDayTouches(
      { store },
      {
        date,
        ...(run.campaignId && { campaignId: run.campaignId }),
        ...(date !== run.date && { sendOn: run.date }),
        alreadyPlanned: all,
      },
    );
    for (const t of touches) {
      const key = touchKeyString(t);
      const twice = t.status === 'planned' && keysPlanned.has(key);
      if (t.status === 'planned') keysPlanned.add(key);
      all.push(twice ? { ...t, status: 'suppressed', reason: 'already-sent' } : t);
    }
  }
  // Reports list touches by seq: one sequence over all the run's dates.
  return all.map((t, seq) => ({ ...t, seq }));
}

/**
 * The planner calls a key held by the ledger `already-sent` whether the row is `sent` or only
 * `reserved`/`unknown` (the contract's plan). A run must not report the latter as sent: it carries
 * them into its batches, still marked `already-sent`, where SendBatch reviews the row instead of
 * sending (a reservation whose holder died becomes `unknown`) and reports what it found.
 */
export async function carryHeldForReview(
  ledger: Pick<Ledger, 'getDeliveries'>,
  touches: readonly PlannedTouch[],
): Promise<PlannedTouch[]> {
  const held = touches.filter((t) => t.status === 'suppressed' && t.reason === 'already-sent');
  if (held.length === 0) return [...touches];
  const rows = await ledger.getDeliveries(held);
  const carried = new Set<string>();
  return touches.map((t) => {
    if (t.status !== 'suppressed' || t.reason !== 'already-sent') return t;
    const key = touchKeyString(t);
    const row = rows.get(key);
    // One review per key: a key planned twice in a catch-up run is carried once.
    if (!row || (row.status !== 'reserved' && row.status !== 'unknown') || carried.has(key)) return t;
    carried.add(key);
    return { ...t, status: 'planned' };
  });
}

export async function planRun(
  deps: { store: PlanStores & Pick<Stores, 'runs'> & ExposureStores; clock: Clock },
  run: StartedRun,
  options: { chunkBatches?: number } = {},
): Promise<PlannedRun> {
  const { store, clock } = deps;
  const { intraday } = run;
  const touches = intraday
    ? await planIntradayTouches(store, { ...run, intraday })
    : await carryHeldForReview(store.ledger, await planRunTouches(store, run));
  const planned = touches.filter((t) => t.status === 'planned');
  const suppressed = touches.filter((t) => t.status === 'suppressed');
  const now = clock.now().toISOString();
  // Who this run treats and holds out, once per campaign × customer × occasion (docs/attribution.md).
  // A unit a planned touch opens is recorded by the SendBatch of its batch, spread over the sending
  // (100,000 units here took 471 s of PlanRun's 900, bench/RESULTS.md plan-phases); the rest now.
  const openers = unitOpeners(touches);
  const batches = batchesOf(run.runId, planned, BATCH_SIZE, MAX_RUN_ITEM_TOUCH_BYTES, (t) => openers.has(t));
  await Promise.all([
    store.runs.putRunBatches(batches),
    store.runs.putRunSuppressed(run.runId, suppressed),
    // already-sent touches are the ledger's own rows: recording them again would add nothing.
    ...suppressed
      .filter((t) => t.reason !== 'already-sent')
      .map((t) => store.ledger.recordSuppressed(t, run.runId, now)),
  ]);
  await recordExposureUnits(
    store,
    [...openers].filter((t) => t.status !== 'planned').map((t) => exposureUnit(t, now)),
  );
  const meta = await store.runs.getRunMeta(run.runId);
  if (meta) await store.runs.putRunMeta({ ...meta, status: 'sending' });
  return {
    runId: run.runId,
    date: run.date,
    batches: batches.map((b) => ({ batchId: b.batchId, sendAt: b.sendAt })),
    chunks: sendChunksOf(batches, options.chunkBatches),
    planned: planned.length,
    suppressed: suppressed.length,
  };
}
