// Offset pages of a result computed whole (a day's plan, a run's touches): a slice, a digest of the
// whole list so the next page can tell that it changed under its cursor, and where the next starts.
import { createHash } from 'node:crypto';

export interface OffsetPage<T> {
  items: T[];
  /** A digest of every item of the whole list. */
  fingerprint: string;
  /** Absent on the last page. */
  nextOffset?: number;
}

export const listFingerprint = (items: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(items)).digest('base64url').slice(0, 22);

export function offsetPage<T>(items: readonly T[], offset: number, limit: number): OffsetPage<T> {
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    fingerprint: listFingerprint(items),
    ...(end < items.length && { nextOffset: end }),
  };
}
