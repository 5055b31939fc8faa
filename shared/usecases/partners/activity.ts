// partner activity (the console): the partner's latest accepted events, newest first, and its
// refused webhooks per UTC hour and reason over the last week (docs/webhooks.md, "Partner
// activity"). Two Queries on the partner's log partition and one BatchGet, whatever the traffic.
import * as z from 'zod';
import type { Clock } from '../../ports/clock.js';
import { type PartnerActivityStore, REFUSAL_REASONS } from '../../ports/partner-activity.js';
import type { PartnerStore } from '../../ports/partners.js';

export const PARTNER_EVENTS_SHOWN = 50;
export const REFUSAL_DAYS_SHOWN = 7;

export const partnerActivitySchema = z.object({
  events: z.array(
    z.object({
      /** The event's id (its idempotency key). */
      id: z.string(),
      type: z.string(),
      /** Absent when the event is no longer stored (its customer was erased) or not yet. */
      customerId: z.string().optional(),
      receivedAt: z.string(),
    }),
  ),
  refusals: z.array(
    z.object({
      /** The start of the UTC hour (ISO instant). */
      hour: z.string(),
      reason: z.enum(REFUSAL_REASONS),
      count: z.number().int(),
    }),
  ),
});
export type PartnerActivity = z.infer<typeof partnerActivitySchema>;

/** Undefined when there is no such partner. */
export async function partnerActivity(
  deps: {
    partners: Pick<PartnerStore, 'getPartner'>;
    activity: Pick<PartnerActivityStore, 'recentPartnerEvents' | 'refusalCounts'>;
    clock: Clock;
  },
  partnerId: string,
): Promise<PartnerActivity | undefined> {
  const since = new Date(deps.clock.now().getTime() - REFUSAL_DAYS_SHOWN * 24 * 60 * 60 * 1000);
  const [partner, events, refusals] = await Promise.all([
    deps.partners.getPartner(partnerId),
    deps.activity.recentPartnerEvents(partnerId, PARTNER_EVENTS_SHOWN),
    deps.activity.refusalCounts(partnerId, since.toISOString().slice(0, 13)),
  ]);
  if (!partner) return undefined;
  return {
    events: events.map((e) => ({
      id: e.eventId,
      type: e.type,
      ...(e.customerId !== undefined && { customerId: e.customerId }),
      receivedAt: e.receivedAt,
    })),
    refusals: refusals.map((r) => ({
      hour: new Date(`${r.hour}:00:00Z`).toISOString(),
      reason: r.reason,
      count: r.count,
    })),
  };
}
