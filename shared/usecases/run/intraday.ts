// The intraday run (docs/scheduling.md, "Events on time"): the daily run plans D the day before, from
// what is indexed then, so an event-anchored step at a small offset (or contractStart at 0) cannot
// see what arrives on D itself. An hourly firing re-plans, for every zone's local today, the steps
// anchored on events and contract starts: touches whose window is open now go out now (the ledger
// drops what any run already holds); touches whose window has closed and that no run ever recorded
// (their event arrived too late) are recorded `suppressed`/`window-missed`, never dropped in silence.
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import { addDays } from '../../domain/calendar.js';
import type { AnchorType } from '../../domain/documents.js';
import { type PlannedTouch, touchKeyString } from '../../domain/touch.js';
import type { Clock } from '../../ports/clock.js';
import type { Stores } from '../../store/stores.js';
import { type PlanStores, planDayTouches } from '../plan-day.js';
import type { StartedRun } from './start-run.js';

/** The anchors whose records can arrive on the day their step is due. */
export const INTRADAY_ANCHORS: readonly AnchorType[] = ['event', 'contractStart'];

/** The firing this intraday run answers. */
export interface IntradaySlice {
  at: string;
}

export class IntradayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntradayInputError';
  }
}

export function intradaySlice(scheduledTime: string): IntradaySlice {
  const at = DateTime.fromISO(scheduledTime, { zone: 'utc' });
  if (!at.isValid) throw new IntradayInputError(`not an instant: ${scheduledTime}`);
  return { at: at.toISO() ?? scheduledTime };
}

/** Starts an intraday run: its date is the firing's UTC date; it catches up nothing, marks nothing. */
export async function startIntradayRun(
  deps: { store: Pick<Stores, 'runs'>; clock: Clock },
  input: { scheduledTime?: string | undefined; runId?: string | undefined },
): Promise<StartedRun> {
  if (input.scheduledTime === undefined)
    throw new IntradayInputError('an intraday run needs a scheduledTime');
  const intraday = intradaySlice(input.scheduledTime);
  const date = intraday.at.slice(0, 10);
  const runId = input.runId ?? ulid(deps.clock.now().getTime());
  await deps.store.runs.putRunMeta({
    runId,
    date,
    startedAt: deps.clock.now().toISOString(),
    status: 'planning',
    scheduled: true,
    intraday: true,
  });
  return { runId, date, scheduled: true, intraday };
}

/**
 * The intraday slice's touches. Local "today" at `at` is one of the firing's UTC date − 1, itself or
 * + 1 (UTC−12 … UTC+14); each is planned for the intraday anchors only, and a touch belongs to the
 * slice when its window on that date is open at `at` (`sendAt < at < windowEnd`: at the very start of a
 * window the daily run's batch sends it), or has closed (`windowEnd <= at`) with no ledger row: then
 * nothing answered it, and it is recorded once as `window-missed` (a row is written, so the next
 * firing skips it; the row does not hold the key, so a catch-up or `run --date` may still send it).
 */
export async function planIntradayTouches(
  store: PlanStores,
  run: Pick<StartedRun, 'date' | 'campaignId'> & { intraday: IntradaySlice },
): Promise<PlannedTouch[]> {
  const { at } = run.intraday;
  const atMs = Date.parse(at);
  const out: PlannedTouch[] = [];
  const closing: PlannedTouch[] = [];
  const keys = new Set<string>();
  for (const date of [addDays(run.date, -1), run.date, addDays(run.date, 1)]) {
    const touches = await planDayTouches(
      { store },
      {
        date,
        anchorTypes: INTRADAY_ANCHORS,
        ...(run.campaignId && { campaignId: run.campaignId }),
        alreadyPlanned: out,
      },
    );
    for (const t of touches) {
      // Held by the ledger: some run sent it or is sending it. Not this slice's news.
      if (t.reason === 'already-sent') continue;
      const key = touchKeyString(t);
      if (keys.has(key)) continue;
      const start = Date.parse(t.sendAt);
      const end = Date.parse(t.windowEnd);
      if (t.status === 'planned' && start < atMs && atMs < end) {
        keys.add(key);
        out.push({ ...t, sendAt: at });
      } else if (end <= atMs) {
        keys.add(key);
        closing.push(t);
      }
    }
  }
  // A closed window: only what no run recorded (a row of any status means someone already answered).
  const rows = closing.length > 0 ? await store.ledger.getDeliveries(closing) : new Map();
  for (const t of closing) {
    if (rows.has(touchKeyString(t))) continue;
    out.push(t.status === 'planned' ? { ...t, status: 'suppressed', reason: 'window-missed' } : t);
  }
  return out.map((t, seq) => ({ ...t, seq }));
}
