import {
  type AddOptions,
  type CounterIncrement,
  type CounterQuery,
  type CounterRow,
  dimensionsOf,
  mergeIncrements,
  type ResultCounters,
} from '../../../shared/ports/results.js';

const sortKey = (r: CounterRow): string =>
  `${r.campaignId}\u0000${r.day}\u0000${JSON.stringify([r.stepId, r.channel, r.tier, r.locale])}`;

/** The results counters in memory: one instance stands for the table every writer shares. */
export class MemoryResults implements ResultCounters {
  readonly rows = new Map<string, CounterRow>();
  /** How many rows `read` returned in all (the adapter's items read). */
  rowsRead = 0;
  readonly onceKeys = new Set<string>();

  async add(increments: readonly CounterIncrement[], opts: AddOptions = {}): Promise<void> {
    if (opts.once !== undefined) {
      if (this.onceKeys.has(opts.once)) return;
      this.onceKeys.add(opts.once);
    }
    for (const inc of mergeIncrements(increments)) {
      const k = sortKey({ ...inc, counts: {} });
      const row = this.rows.get(k) ?? { ...dimensionsOf(inc), counts: {} };
      const counts = { ...row.counts };
      for (const [name, n] of Object.entries(inc.counts)) counts[name] = (counts[name] ?? 0) + n;
      this.rows.set(k, { ...row, counts });
    }
  }

  async read(q: CounterQuery): Promise<CounterRow[]> {
    const out = [...this.rows.entries()]
      .filter(
        ([, r]) =>
          (q.campaignId === undefined || r.campaignId === q.campaignId) && r.day >= q.from && r.day <= q.to,
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => ({ ...r, counts: { ...r.counts } }));
    this.rowsRead += out.length;
    return out;
  }
}
