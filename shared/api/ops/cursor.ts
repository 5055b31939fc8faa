// The cursor of GET /v1/deliveries: opaque to clients, base64url of JSON holding where the previous
// page stopped and a digest of the query that page answered (the route and its filters). A cursor
// is honoured only by the query it came from: one from another customer's or another filter's pages
// is refused here, and the store checks that the position itself is a key that query could have
// returned (shared/store/delivery-position.ts), so a hand-made cursor reads nothing another query
// would not, and never reaches DynamoDB as a start key it refuses. Not signed: nothing a forged
// cursor can name is outside what its own query may read (docs/limits.md).
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { MAX_ID_BYTES } from '../../domain/limits.js';
import type { DeliveryPosition } from '../../ports/customer-data.js';
import { badRequest, type ProblemError } from './common.js';
import { idField } from './params.js';

/** The filters of a deliveries query: what a cursor is bound to. */
export interface DeliveriesQuery {
  campaignId?: string | undefined;
  customerId?: string | undefined;
}

/** Far above any key this API returns (four key attributes of at most 2 KB), far below abuse. */
export const MAX_CURSOR_CHARS = 4096;

const cursorSchema = z.strictObject({
  q: z.string(),
  campaignId: idField().optional(),
  lastKey: z
    .record(z.string().max(MAX_ID_BYTES), z.string().max(2048))
    .refine((k) => Object.keys(k).length <= 4, 'too many key attributes')
    .optional(),
});

const queryDigest = (q: DeliveriesQuery): string =>
  createHash('sha256')
    .update(JSON.stringify(['GET /v1/deliveries', q.campaignId ?? null, q.customerId ?? null]))
    .digest('base64url')
    .slice(0, 22);

export const notOurCursor = (message: string): ProblemError =>
  badRequest('The cursor is not one this API returned.', [{ path: 'cursor', message }]);

export const encodeCursor = (query: DeliveriesQuery, p: DeliveryPosition): string =>
  Buffer.from(JSON.stringify({ q: queryDigest(query), ...p })).toString('base64url');

/** The position inside a cursor this query returned; a ProblemError (400) for any other. */
export function decodeCursor(query: DeliveriesQuery, cursor: string): DeliveryPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurCursor('invalid cursor');
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) throw notOurCursor('invalid cursor');
  const { q, campaignId, lastKey } = parsed.data;
  if (q !== queryDigest(query)) throw notOurCursor('the cursor belongs to another query');
  return { ...(campaignId !== undefined && { campaignId }), ...(lastKey !== undefined && { lastKey }) };
}
