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

/** A digest of a query's route and filters: what a cursor is bound to. */
export const queryDigestOf = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);

const queryDigest = (q: DeliveriesQuery): string =>
  queryDigestOf(['GET /v1/deliveries', q.campaignId ?? null, q.customerId ?? null]);

export const notOurCursor = (message: string): ProblemError =>
  badRequest('The cursor is not one this API returned.', [{ path: 'cursor', message }]);

/** A cursor's text: base64url of its JSON. */
export const sealCursor = <T extends { q: string }>(value: T): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The JSON inside a cursor, once it parses with `schema` and names the query `digest` stands for;
 * a ProblemError (400) for any other text.
 */
export function openCursor<T extends { q: string }>(cursor: string, schema: z.ZodType<T>, digest: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurCursor('invalid cursor');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notOurCursor('invalid cursor');
  if (parsed.data.q !== digest) throw notOurCursor('the cursor belongs to another query');
  return parsed.data;
}

export const encodeCursor = (query: DeliveriesQuery, p: DeliveryPosition): string =>
  sealCursor({ q: queryDigest(query), ...p });

/** The position inside a cursor this query returned; a ProblemError (400) for any other. */
export function decodeCursor(query: DeliveriesQuery, cursor: string): DeliveryPosition {
  const { campaignId, lastKey } = openCursor(cursor, cursorSchema, queryDigest(query));
  return { ...(campaignId !== undefined && { campaignId }), ...(lastKey !== undefined && { lastKey }) };
}
