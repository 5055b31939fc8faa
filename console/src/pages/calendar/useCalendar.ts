// The next 30 days from GET /calendar. The API plans a few days at a time and, past its time budget,
// answers the days it planned with `nextFrom`: ask again from there until the 30 days are in (each
// answer shown as it comes), so a large table fills the calendar in steps rather than timing out.
import { useEffect, useState } from 'react';
import { useApi } from '../../auth';
import { type CalendarDay, calendarSchema } from './schemas';

export const CALENDAR_DAYS = 30;

export interface CalendarLoad {
  from: string | undefined;
  days: CalendarDay[];
  /** The date being planned next, while more is on its way. */
  pending: string | undefined;
  loading: boolean;
  error: unknown;
}

export function useCalendar(from: string | undefined): CalendarLoad {
  const api = useApi();
  const [state, setState] = useState<CalendarLoad>({
    from,
    days: [],
    pending: from,
    loading: true,
    error: undefined,
  });
  useEffect(() => {
    let live = true;
    setState({ from, days: [], pending: from, loading: true, error: undefined });
    const load = async () => {
      const days: CalendarDay[] = [];
      let next = from;
      let first: string | undefined;
      while (days.length < CALENDAR_DAYS) {
        const q = new URLSearchParams({ days: String(CALENDAR_DAYS - days.length) });
        if (next !== undefined) q.set('from', next);
        const page = await api.get(`/calendar?${q}`, calendarSchema);
        if (!live) return;
        first ??= page.from;
        days.push(...page.days);
        // The API always plans its first day; an empty page would loop forever, so it ends the load.
        const more = page.nextFrom !== undefined && page.days.length > 0 && days.length < CALENDAR_DAYS;
        setState({
          from: first,
          days: [...days],
          pending: more ? page.nextFrom : undefined,
          loading: more,
          error: undefined,
        });
        if (!more) return;
        next = page.nextFrom;
      }
    };
    load().catch((error: unknown) => {
      if (live) setState((s) => ({ ...s, pending: undefined, loading: false, error }));
    });
    return () => {
      live = false;
    };
  }, [api, from]);
  return state;
}
