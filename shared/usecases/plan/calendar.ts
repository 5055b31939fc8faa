// The console's calendar of what goes out (docs/console.md): the dry run of each day from `from`,
// the same planDayTouches that `plan`, GET /v1/plan and a run use, counted per day by calendarDay.
// Writes nothing. Days are planned a few at a time; a request that runs past its time budget stops
// starting days and says where to go on (`nextFrom`), so a big table never meets API Gateway's 29 s.
import { addDays } from '../../domain/calendar.js';
import { resolvePrices, type SmsType } from '../../domain/prices.js';
import { mapLimit } from '../../store/table.js';
import { type PlanDayDeps, planDayTouches, UnknownCampaignError } from '../plan-day.js';
import { type CalendarDay, type CalendarTotals, calendarDay, calendarTotals } from './calendar-day.js';
import { sharedDueReads } from './shared-reads.js';

/** At most this many days per request (a month); the console pages on with `nextFrom`. */
export const CALENDAR_MAX_DAYS = 31;
export const CALENDAR_DEFAULT_DAYS = 30;
/** Days planned at once: each day's reads are already parallel (8 shards per due read). */
export const CALENDAR_PARALLEL_DAYS = 4;
/** No day is started after this much of a request has passed (API Gateway ends it at 29 s). */
export const CALENDAR_BUDGET_MS = 20_000;

export interface CalendarCommand {
  from: string;
  days: number;
  campaignId?: string | undefined;
}

export interface CalendarDeps extends PlanDayDeps {
  /** Milliseconds now (monotonic enough for a budget); default Date.now. */
  nowMs?: () => number;
  budgetMs?: number;
  parallelDays?: number;
}

export interface Calendar {
  from: string;
  /** The days planned, from `from` on, consecutive. */
  days: CalendarDay[];
  totals: CalendarTotals;
  /** Present when the budget ran out first: ask again from this date for the rest. */
  nextFrom?: string;
}

export type CalendarResult =
  | { ok: true; calendar: Calendar }
  | { ok: false; reason: 'unknown-campaign'; campaignId: string };

export async function planCalendar(deps: CalendarDeps, cmd: CalendarCommand): Promise<CalendarResult> {
  const now = deps.nowMs ?? Date.now;
  const started = now();
  const budget = deps.budgetMs ?? CALENDAR_BUDGET_MS;
  const [settings, records] = await Promise.all([
    deps.store.settings.getSettings(),
    deps.store.campaigns.listCampaigns(),
  ]);
  const prices = resolvePrices(settings.prices);
  // The SMS type of every campaign from one list read, rather than one read per campaign per day.
  const smsTypes = new Map<string, SmsType>(
    records.map((r) => [r.campaign.id, r.campaign.smsType ?? 'promotional']),
  );
  const smsTypeOf = (id: string): SmsType => smsTypes.get(id) ?? 'promotional';
  const dates = Array.from({ length: cmd.days }, (_, i) => addDays(cmd.from, i));
  const planDeps: PlanDayDeps = { store: { ...deps.store, due: sharedDueReads(deps.store.due) } };
  try {
    // Days start in order, so the days planned are always a prefix of `dates`; the first always runs.
    const planned = await mapLimit(dates, deps.parallelDays ?? CALENDAR_PARALLEL_DAYS, async (date) => {
      if (date !== cmd.from && now() - started >= budget) return undefined;
      const touches = await planDayTouches(planDeps, {
        date,
        ...(cmd.campaignId !== undefined && { campaignId: cmd.campaignId }),
      });
      return calendarDay(date, touches, { prices, smsTypeOf });
    });
    const cut = planned.indexOf(undefined);
    const days = (cut === -1 ? planned : planned.slice(0, cut)).filter((d) => d !== undefined);
    const nextFrom = cut === -1 ? undefined : dates[cut];
    return {
      ok: true,
      calendar: {
        from: cmd.from,
        days,
        totals: calendarTotals(days, prices.currency),
        ...(nextFrom !== undefined && { nextFrom }),
      },
    };
  } catch (err) {
    if (err instanceof UnknownCampaignError)
      return { ok: false, reason: 'unknown-campaign', campaignId: err.campaignId };
    throw err;
  }
}
