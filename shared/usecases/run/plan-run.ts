// PlanRun: plans the day, records every suppressed touch in the ledger with its reason, and stores
// the planned touches as batches grouped by send time. Only batch references go back to the state
// machine, so a run of any size stays under Step Functions' payload limit.
import type { PlannedTouch } from '../../domain/touch.js';
import type { Clock, RunBatch, Store } from '../../ports.js';
import { planDayTouches } from '../plan-day.js';
import type { StartedRun } from './start-run.js';

export const BATCH_SIZE = 50;

export interface PlannedRun {
  runId: string;
  date: string;
  batches: { batchId: string; sendAt: string }[];
  planned: number;
  suppressed: number;
}

export function batchesOf(runId: string, planned: readonly PlannedTouch[], size = BATCH_SIZE): RunBatch[] {
  const bySendAt = new Map<string, PlannedTouch[]>();
  for (const t of planned) bySendAt.set(t.sendAt, [...(bySendAt.get(t.sendAt) ?? []), t]);
  const batches: RunBatch[] = [];
  for (const sendAt of [...bySendAt.keys()].sort()) {
    const group = bySendAt.get(sendAt) ?? [];
    for (let i = 0; i < group.length; i += size) {
      const n = String(i / size).padStart(4, '0');
      batches.push({ runId, batchId: `${sendAt}#${n}`, sendAt, touches: group.slice(i, i + size) });
    }
  }
  return batches;
}

export async function planRun(deps: { store: Store; clock: Clock }, run: StartedRun): Promise<PlannedRun> {
  const { store, clock } = deps;
  const touches = await planDayTouches({ store }, { date: run.date, ...(run.campaignId && { campaignId: run.campaignId }) });
  const planned = touches.filter((t) => t.status === 'planned');
  const suppressed = touches.filter((t) => t.status === 'suppressed');
  const now = clock.now().toISOString();
  const batches = batchesOf(run.runId, planned);
  await Promise.all([
    store.putRunBatches(batches),
    store.putRunSuppressed(run.runId, suppressed),
    // already-sent touches are the ledger's own rows: recording them again would add nothing.
    ...suppressed.filter((t) => t.reason !== 'already-sent').map((t) => store.recordSuppressed(t, run.runId, now)),
  ]);
  const meta = await store.getRunMeta(run.runId);
  if (meta) await store.putRunMeta({ ...meta, status: 'sending' });
  return {
    runId: run.runId,
    date: run.date,
    batches: batches.map((b) => ({ batchId: b.batchId, sendAt: b.sendAt })),
    planned: planned.length,
    suppressed: suppressed.length,
  };
}
