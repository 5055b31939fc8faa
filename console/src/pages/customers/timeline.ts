// A touch's delivery timeline, oldest first: reserved (the ledger's reservation), what the run
// recorded (sent, suppressed and why, failed …), then each provider event (delivered, bounced,
// opened …). Pure, so it is unit-tested (test/unit/console/customer-timeline.test.ts).
// Times come from the ledger row: `leasedAt` is when the run reserved the key, `updatedAt` when it
// settled it; a row still `reserved` has only its reservation.

export interface TimelineRow {
  status: string;
  reason?: string | undefined;
  sendAt: string;
  updatedAt: string;
  leasedAt?: string | undefined;
  error?: string | undefined;
  deliveryEvents?:
    | readonly { type: string; state?: string | undefined; at: string; detail?: string | undefined }[]
    | undefined;
}

export interface TimelineStep {
  /** A ledger status or a delivery state (`sent`, `delivered`, `bounced` …); `event` for one that moves no state. */
  state: string;
  at: string;
  /** The provider's own event type, or the suppression reason / error. */
  detail?: string;
}

export function deliveryTimeline(row: TimelineRow): TimelineStep[] {
  const steps: TimelineStep[] = [];
  if (row.leasedAt !== undefined) steps.push({ state: 'reserved', at: row.leasedAt });
  if (row.status !== 'reserved') {
    const detail = row.reason ?? row.error;
    steps.push({ state: row.status, at: row.updatedAt, ...(detail !== undefined && { detail }) });
  }
  const events = [...(row.deliveryEvents ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  for (const e of events) {
    const detail = e.detail === undefined ? e.type : `${e.type} (${e.detail})`;
    steps.push({ state: e.state ?? 'event', at: e.at, detail });
  }
  // In time order whatever the sources say (a reservation renewed after the send sorts after it).
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}
