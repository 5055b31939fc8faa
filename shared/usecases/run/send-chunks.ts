// How a run's batches travel through the state machine: as send chunks, a send time and a range of
// batch numbers, one child execution of the run's Distributed Map each (docs/run-at-scale.md). Pure,
// and small: send-batch imports batchIdOf without the planner.

/**
 * Batches per send chunk, one child execution of the run's Distributed Map: ~7 history events a
 * batch keep a child near 1,500 events, with room for 20+ retries a batch under the 25,000 limit,
 * and inside States.ArrayRange's 1,000 items (docs/run-at-scale.md).
 */
export const CHUNK_BATCHES = 200;

/** A batch's id: its send time and its number among that send time's batches. */
export const batchIdOf = (sendAt: string, index: number): string =>
  `${sendAt}#${String(index).padStart(4, '0')}`;

/** Batches `${sendAt}#first` … `${sendAt}#last` (inclusive): one child execution's work. */
export interface SendChunk {
  sendAt: string;
  first: number;
  last: number;
}

/** Each send time's batches (numbered from 0, as batchesOf numbers them) in chunks of at most `size`. */
export function sendChunksOf(batches: readonly { sendAt: string }[], size = CHUNK_BATCHES): SendChunk[] {
  const counts = new Map<string, number>();
  for (const b of batches) counts.set(b.sendAt, (counts.get(b.sendAt) ?? 0) + 1);
  const chunks: SendChunk[] = [];
  for (const [sendAt, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (let first = 0; first < n; first += size)
      chunks.push({ sendAt, first, last: Math.min(n, first + size) - 1 });
  return chunks;
}
