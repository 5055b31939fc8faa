// The partner log in memory: what the table adapter keeps, without TTL.
import type {
  PartnerActivityStore,
  PartnerEventEntry,
  RefusalCount,
  RefusalReason,
} from '../../../shared/ports/partner-activity.js';

export class MemoryPartnerActivity implements PartnerActivityStore {
  readonly events = new Map<string, PartnerEventEntry[]>();
  readonly refusals = new Map<string, RefusalCount[]>();

  async recordPartnerEvent(partnerId: string, entry: PartnerEventEntry): Promise<void> {
    this.events.set(partnerId, [...(this.events.get(partnerId) ?? []), { ...entry }]);
  }
  async countRefusal(partnerId: string, reason: RefusalReason, at: Date): Promise<void> {
    const hour = at.toISOString().slice(0, 13);
    const counts = this.refusals.get(partnerId) ?? [];
    const row = counts.find((r) => r.hour === hour && r.reason === reason);
    if (row) row.count += 1;
    else counts.push({ hour, reason, count: 1 });
    this.refusals.set(partnerId, counts);
  }
  async recentPartnerEvents(partnerId: string, limit: number): Promise<PartnerEventEntry[]> {
    return [...(this.events.get(partnerId) ?? [])]
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.eventId.localeCompare(a.eventId))
      .slice(0, limit);
  }
  async refusalCounts(partnerId: string, fromHour: string): Promise<RefusalCount[]> {
    return (this.refusals.get(partnerId) ?? [])
      .filter((r) => r.hour >= fromHour)
      .sort((a, b) => a.hour.localeCompare(b.hour) || a.reason.localeCompare(b.reason))
      .map((r) => ({ ...r }));
  }
}
