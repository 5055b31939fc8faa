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

const planKey = (q: PlanQuery): readonly unknown[] => ['GET /v1/plan', q.date, q.campaignId ?? null];

/** 409: the list a cursor sliced is not the list any more (`what`: the plan, the run's result). */
export const listChanged = (what: string): ProblemError =>
  conflict(`The ${what} changed since this cursor was returned; page again from the first page.`);

export const planChanged = (): ProblemError => listChanged('plan');

/** An offset cursor bound to its query (`key`: the route and its filters) and to the list it sliced. */
export const encodeOffsetCursor = (key: readonly unknown[], p: PlanPosition): string =>
  sealCursor({ q: queryDigestOf(key), o: p.offset, p: p.fingerprint });

/** The position inside a cursor this query returned; a ProblemError (400) for any other. */
export function decodeOffsetCursor(key: readonly unknown[], cursor: string): PlanPosition {
  const { o, p } = openCursor(cursor, cursorSchema, queryDigestOf(key));
  return { offset: o, fingerprint: p };
}

export const encodePlanCursor = (query: PlanQuery, p: PlanPosition): string =>
  encodeOffsetCursor(planKey(query), p);

export const decodePlanCursor = (query: PlanQuery, cursor: string): PlanPosition =>
  decodeOffsetCursor(planKey(query), cursor);

/** GET /v1/run-results/{runId}'s cursors: bound to the run. */
export const runResultKey = (runId: string): readonly unknown[] => ['GET /v1/run-results', runId];
