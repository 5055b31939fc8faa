// The ids and addresses /v1 routes take in a path, a query or a route-level body field, stated once.
// Ids go into table keys, so each is what a stored document's id may be (boundedId: at most
// MAX_ID_BYTES UTF-8 bytes, no control or bidi characters); a longer one is refused here with a 400
// problem naming the field, never handed to DynamoDB (which answers a key over 1,024/2,048 bytes
// with a ValidationException, a 500). docs/limits.md lists the limits.
import { z } from '@hono/zod-openapi';
import { boundedId, MAX_EMAIL_CHARS, MAX_ID_BYTES, UNSAFE_TEXT } from '../../domain/limits.js';

const ID_RULE = `At most ${MAX_ID_BYTES} UTF-8 bytes (a CJK character is 3, an emoji 4), no control or bidirectional-override characters`;

/** An id as a request body field: the same rule as a stored document's id. */
export const idField = boundedId;

/** An id as a query parameter, documented with its rule. */
export const queryId = () => boundedId().clone().openapi({ description: ID_RULE });

/** A path parameter holding an id, documented as such. */
export const pathId = (name: string, example?: string) =>
  boundedId()
    .clone()
    .openapi({
      param: { name, in: 'path' },
      description: ID_RULE,
      ...(example !== undefined && { example }),
    });

/** `{id}` of a customer or contract. */
export const idParam = z.object({ id: pathId('id') });

/** `{id}` of a campaign. */
export const campaignIdParam = z.object({ id: pathId('id', 'contract-renewal') });

/**
 * An email address or E.164 number as a request field: RFC 5321's 254 characters at most (a phone
 * number is far shorter). What is an address at all is the suppression use case's rule (422).
 */
export const addressField = () =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_EMAIL_CHARS, `must be at most ${MAX_EMAIL_CHARS} characters`)
    .refine((s) => !UNSAFE_TEXT.test(s), 'must not contain control or bidirectional-override characters');
