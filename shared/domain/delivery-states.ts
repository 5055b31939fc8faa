// A ledger row's delivery state and timeline, as data: small on purpose, since the ledger's schema
// (and so every bundle that reads the ledger) imports it; the provider payload schemas live in
// delivery-feedback.ts, which only the feedback handler loads. Pure: no AWS imports.

/** What a ledger row says happened to its message after the send (`delivery`). */
export const DELIVERY_STATES = [
  'sent',
  'delivered',
  'bounced',
  'complained',
  'rejected',
  'failed',
  'opened',
  'clicked',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One provider event as the ledger keeps it in a row's `deliveryEvents` (its timeline). */
export interface DeliveryEventEntry {
  /** The provider's event type, verbatim (`Bounce`, `TEXT_DELIVERED`…). */
  type: string;
  /** The state it moves the row to; absent for events that only go on the timeline (delays, queued). */
  state?: DeliveryState;
  /** ISO instant the provider says it happened. */
  at: string;
  /** `Permanent`/`Transient`/`Undetermined` for a bounce; the SMS status for an SMS failure. */
  detail?: string;
  /** The event's own key: the same event twice has one effect. */
  id: string;
}

/**
 * Where a state ranks when two events carry the same instant: the later in a message's life wins
 * (a delivery and an open stamped the same millisecond: opened).
 */
const RANK: Record<DeliveryState, number> = {
  sent: 0,
  delivered: 1,
  rejected: 2,
  failed: 2,
  bounced: 3,
  opened: 4,
  clicked: 5,
  complained: 6,
};

/** The row's `delivery`: the state of its latest event (by the provider's time, then by rank). */
export function deliveryStateOf(
  events: readonly Pick<DeliveryEventEntry, 'state' | 'at'>[],
  fallback?: DeliveryState,
): DeliveryState | undefined {
  let best: { state: DeliveryState; at: string } | undefined;
  for (const e of events) {
    if (!e.state) continue;
    if (!best || e.at > best.at || (e.at === best.at && RANK[e.state] > RANK[best.state]))
      best = { state: e.state, at: e.at };
  }
  return best?.state ?? fallback;
}
