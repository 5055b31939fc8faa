// What the console shows of a partner (docs/webhooks.md, "Partner activity"): the events it sent
// lately and the hourly counts of its refused webhooks. Only a partner whose signature verified ever
// has either, so a request naming an unknown id never creates an item.

/** A refusal after the partner was authenticated; signature failures are never counted. */
export const REFUSAL_REASONS = [
  'throttled',
  'unsupported-media-type',
  'not-json',
  'invalid-event',
  'future-event',
  'unknown-customer',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** An accepted event as the partner log keeps it: no personal data (the customer is on the event). */
export interface PartnerEventEntry {
  eventId: string;
  type: string;
  receivedAt: string;
}

/** A log entry with the customer its event names, while the event is stored (absent once erased). */
export interface RecentPartnerEvent extends PartnerEventEntry {
  customerId?: string;
}

export interface RefusalCount {
  /** The UTC hour, `YYYY-MM-DDTHH`. */
  hour: string;
  reason: RefusalReason;
  count: number;
}

export interface PartnerActivityStore {
  /** One entry per accepted (first) webhook; kept PARTNER_LOG_TTL_DAYS. */
  recordPartnerEvent(partnerId: string, entry: PartnerEventEntry): Promise<void>;
  /** Adds one to the partner's counter of this reason in `at`'s UTC hour. */
  countRefusal(partnerId: string, reason: RefusalReason, at: Date): Promise<void>;
  /** The newest `limit` entries, newest first (one Query page), with their events' customers (one BatchGet). */
  recentPartnerEvents(partnerId: string, limit: number): Promise<RecentPartnerEvent[]>;
  /** Counters of the hours from `fromHour` on, oldest first: one Query. */
  refusalCounts(partnerId: string, fromHour: string): Promise<RefusalCount[]>;
}
