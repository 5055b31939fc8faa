// The cursor of GET /v1/plan: opaque to clients, base64url of JSON holding the offset of the next
// touch, a digest of the query it belongs to (date and campaign) and a digest of the whole plan the
// previous page sliced. A cursor from another date's or campaign's pages is refused (400); one whose
// plan has changed since (a campaign applied, an import, a send) is refused too (409), so paging
// never skips or repeats a touch silently. Not signed: an offset names nothing its query may not read.
import * as z from 'zod';
import { conflict, type ProblemError } from './common.js';
import { openCursor, queryDigestOf, sealCursor } from './cursor.js';

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

const queryDigest = (q: PlanQuery): string => queryDigestOf(['GET /v1/plan', q.date, q.campaignId ?? null]);

export const planChanged = (): ProblemError =>
  conflict('The plan changed since this cursor was returned; page again from the first page.');

export const encodePlanCursor = (query: PlanQuery, p: PlanPosition): string =>
  sealCursor({ q: queryDigest(query), o: p.offset, p: p.fingerprint });

/** The position inside a cursor this query returned; a ProblemError (400) for any other. */
export function decodePlanCursor(query: PlanQuery, cursor: string): PlanPosition {
  const { o, p } = openCursor(cursor, cursorSchema, queryDigest(query));
  return { offset: o, fingerprint: p };
}
