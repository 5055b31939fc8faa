// The audit log in memory: entries newest first, pages by position, and a switch that makes the
// next appends fail (a store outage) for tests of "a failed audit write never fails the change".
import type { AuditEntry, AuditLog, AuditPage, AuditPosition } from '../../../shared/ports/audit.js';

export class MemoryAudit implements AuditLog {
  private readonly rows: { sk: string; entry: AuditEntry }[] = [];
  failing = false;

  get entries(): AuditEntry[] {
    return this.rows.map((r) => structuredClone(r.entry));
  }

  async append(entry: AuditEntry): Promise<void> {
    if (this.failing) throw new Error('audit store unavailable');
    const sk = `${entry.at}#${String(this.rows.length).padStart(10, '0')}`;
    this.rows.push({ sk, entry: structuredClone(entry) });
  }

  async list(query: { limit: number; after?: AuditPosition; now: Date }): Promise<AuditPage> {
    const sorted = [...this.rows]
      .sort((a, b) => (a.sk < b.sk ? 1 : -1))
      .filter(({ sk }) => query.after === undefined || sk < query.after.before);
    const page = sorted.slice(0, query.limit);
    const last = page[page.length - 1];
    const entries = page.map(({ entry }) => structuredClone(entry));
    return sorted.length > query.limit && last
      ? { entries, next: { month: last.entry.at.slice(0, 7), before: last.sk } }
      : { entries };
  }
}
