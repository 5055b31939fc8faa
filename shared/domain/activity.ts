// Last activity: the latest of the customer's own lastActivityAt and the events whose type counts
// as activity (settings.activityEventTypes; absent = every type, [] = none).
import type { Customer, Settings } from './documents.js';

/** Latest occurredAt per event type seen for a customer. */
export type ActivityByType = Record<string, string>;

export function countsAsActivity(type: string, settings: Pick<Settings, 'activityEventTypes'>): boolean {
  return settings.activityEventTypes === undefined || settings.activityEventTypes.includes(type);
}

export function effectiveLastActivityAt(
  customer: Pick<Customer, 'lastActivityAt'>,
  activity: ActivityByType,
  settings: Pick<Settings, 'activityEventTypes'>,
): string | undefined {
  let latest = customer.lastActivityAt;
  let latestMs = latest ? Date.parse(latest) : Number.NEGATIVE_INFINITY;
  for (const [type, at] of Object.entries(activity)) {
    if (!countsAsActivity(type, settings)) continue;
    const ms = Date.parse(at);
    if (ms > latestMs) {
      latest = at;
      latestMs = ms;
    }
  }
  return latest;
}

/** Merges one event into the per-type latest times (returns a new object). */
export function recordActivity(activity: ActivityByType, type: string, occurredAt: string): ActivityByType {
  const prev = activity[type];
  if (prev && Date.parse(prev) >= Date.parse(occurredAt)) return activity;
  return { ...activity, [type]: occurredAt };
}
