// The cursor of GET /v1/plan: opaque to clients, base64url of JSON holding the offset of the next
// touch, a digest of the query it belongs to (date and campaign) and a digest of the whole plan the
// previous page sliced. A cursor from another date's or campaign's pages is refused (400); one whose
// plan has changed since (a campaign applied, an import, a send) is refused too (409), so paging
// never skips or repeats a touch silently. Not signed: an offset names nothing its query may not read.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { badRequest, conflict, type ProblemError } from './common.js';

/** The filters of a plan query: what a cursor is bound to. */
export interface PlanQuery {
  date: string;
  campaignId?: string | undefined;
}

/** Where the next page starts and the plan it was cut from. */
export interface PlanPosition {
  offset: number;
  fingerprint: string;
}

export const MAX_PLAN_CURSOR_CHARS = 256;

const cursorSchema = z.strictObject({
  q: z.string().max(64),
  o: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  p: z.string().max(64),
});

const queryDigest = (q: PlanQuery): string =>
  createHash('sha256')
    .update(JSON.stringify(['GET /v1/plan', q.date, q.campaignId ?? null]))
    .digest('base64url')
    .slice(0, 22);

const notOurCursor = (message: string): ProblemError =>
  badRequest('The cursor is not one this API returned.', [{ path: 'cursor', message }]);

export const planChanged = (): ProblemError =>
  conflict('The plan changed since this cursor was returned; page again from the first page.');

export const encodePlanCursor = (query: PlanQuery, p: PlanPosition): string =>
  Buffer.from(JSON.stringify({ q: queryDigest(query), o: p.offset, p: p.fingerprint })).toString('base64url');

/** The position inside a cursor this query returned; a ProblemError (400) for any other. */
export function decodePlanCursor(query: PlanQuery, cursor: string): PlanPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurCursor('invalid cursor');
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) throw notOurCursor('invalid cursor');
  if (parsed.data.q !== queryDigest(query)) throw notOurCursor('the cursor belongs to another query');
  return { offset: parsed.data.o, fingerprint: parsed.data.p };
}
