// What the store can keep, stated once. Every edge (CLI imports, the upload path, /v1, webhooks,
// the bus consumer) parses with schemas built from these, so a value the store would refuse is
// refused at the edge with its path, before anything is accepted or written (docs/limits.md says why
// each number is what it is). Pure: no AWS imports.
import { DateTime } from 'luxon';
import * as z from 'zod';

/**
 * An id goes into table keys, index keys and URLs. DynamoDB caps a sort key (and an index sort key,
 * which `pk` is on every day index) at 1,024 bytes and a partition key at 2,048; a ledger row's
 * index sort key holds a customer id and an occasion id together. 200 UTF-8 bytes each keeps every
 * composed key far below its cap whatever the mix of ids.
 */
export const MAX_ID_BYTES = 200;
/** Event types go into the event-day index's partition key with a date and a shard. */
export const MAX_TYPE_BYTES = 200;
/** Keys of free-form maps (`attributes`, event `data`): DynamoDB's attribute-name cap is far above. */
export const MAX_KEY_BYTES = 256;
/**
 * Nesting inside free-form maps. DynamoDB allows 32 levels per item; a run's batch item holds an
 * event's data four levels down (touches → touch → event → data), so 16 leaves ample headroom.
 */
export const MAX_DEPTH = 16;
/**
 * Nesting of a whole JSON request body or file (arrays and objects), checked on the text before
 * anything walks the parsed value: far above any document (a free-form map of MAX_DEPTH inside an
 * event inside an import array is under 20), so between MAX_DEPTH and this the schemas answer with
 * the exact path, and nothing deeper ever reaches code that recurses (JSON.stringify, clones).
 */
export const MAX_JSON_DEPTH = 64;
/** One customer, contract or event document as JSON (an item holds 400 KB; runs copy documents). */
export const MAX_DOCUMENT_BYTES = 32 * 1024;
/**
 * One line of a bulk import (an NDJSON line, a CSV record), raw. 4× a document's cap leaves room for
 * a document that fits written with every non-ASCII character \u-escaped (Python's default; at most
 * 3× its UTF-8) and spaces; a longer line cannot hold a storable document, so it is refused by its
 * line number before it is parsed, and a 100 MB line costs no more memory than this.
 */
export const MAX_LINE_BYTES = 4 * MAX_DOCUMENT_BYTES;
/** EventBridge's limit on one PutEvents entry (source, detail-type and detail together). */
export const EVENTBRIDGE_ENTRY_BYTES = 256 * 1024;
/**
 * One webhook body: an event document written with every character \u-escaped (as MAX_LINE_BYTES),
 * well inside one EventBridge entry, which carries the event whole; local and cloud alike.
 */
export const MAX_WEBHOOK_BODY_BYTES = MAX_LINE_BYTES;
/** A person's name: long enough for any real name, short enough that an SMS naming them can be sent. */
export const MAX_NAME_CHARS = 100;
/** RFC 5321's path limit. */
export const MAX_EMAIL_CHARS = 254;
/** Campaign, step, template and tier ids: short, ASCII, and named in logs, URLs and ledger keys. */
export const MAX_SHORT_ID_CHARS = 64;
/** A campaign's display name (a template variable, shown in reports): one line. */
export const MAX_CAMPAIGN_NAME_CHARS = 200;
/** A product's display name in one locale (settings `products`): it stands in a subject or an SMS. */
export const MAX_PRODUCT_NAME_CHARS = 100;
/** The sender's postal address in every email footer (settings `sender.postalAddress`), lines included. */
export const MAX_POSTAL_ADDRESS_CHARS = 500;
/**
 * BCP 47 tags and IANA zone names are short (RFC 5646 asks for 35 characters at least; the longest
 * zone name has 32); the bound keeps a 100 KB "locale" out of caches and items.
 */
export const MAX_LOCALE_CHARS = 64;
export const MAX_ZONE_CHARS = 64;
/** A campaign is one item twice (pointer and version): its JSON stays well under DynamoDB's 400 KB. */
export const MAX_CAMPAIGN_BYTES = 256 * 1024;
/**
 * The touches of one run item (a batch, or a chunk of the suppressed list) as JSON. Touches carry
 * their event and contract, so items are split by size as well as by count: 300 KB leaves room for
 * the batch's results and the item's own fields under the 400 KB item cap.
 */
export const MAX_RUN_ITEM_TOUCH_BYTES = 300 * 1024;
/**
 * A Standard Webhooks `webhook-id` header: printable ASCII, so bytes and characters agree. It goes
 * into the replay receipt's partition key (`WEBHOOK#<partner>#<id>`, 2,048 bytes at most) beside a
 * partner id of at most 64; senders use ids of 20–40 characters.
 */
export const MAX_WEBHOOK_ID_BYTES = 256;
/**
 * The evidence kept with one consent change (a message id, an SMS text): a long concatenated SMS is
 * 1,600 characters, and the history item stays small (docs/consent.md).
 */
export const MAX_CONSENT_EVIDENCE_CHARS = 2000;
/** Instants and dates outside these years would pin an anchor for good (docs/limits.md). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const encoder = new TextEncoder();
export const utf8Bytes = (s: string): number => encoder.encode(s).byteLength;

/** Characters no stored single-line text may hold: C0/C1 controls (CR, LF, NUL…) and bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters refused
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * An inbound SMS: End User Messaging joins a concatenated message of up to 10 parts, at most 1,600
 * characters (GSM-7); anything longer did not come from a phone. Counted in code points.
 */
export const MAX_INBOUND_SMS_CHARS = 1600;
/** What an inbound SMS may not hold: UNSAFE_TEXT less the line breaks and tabs a phone can type. */
export const UNSAFE_SMS_TEXT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters refused
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A string that fits a key: non-empty after trimming, at most `max` UTF-8 bytes, no control characters. */
export const boundedId = (max = MAX_ID_BYTES) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .refine((s) => utf8Bytes(s) <= max, `must be at most ${max} bytes (UTF-8)`)
    .refine((s) => !UNSAFE_TEXT.test(s), 'must not contain control or bidirectional-override characters');

/** A single line of text (a name, a subject): trimmed, non-empty, at most `max` characters, no controls. */
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    // Characters, as a person counts them: code points, so an emoji or a rare CJK character is one.
    .refine((s) => [...s].length <= max, `must be at most ${max} characters`)
    .refine(
      (s) => !UNSAFE_TEXT.test(s),
      'must be one line without control characters (CR, LF, NUL…) or bidirectional overrides',
    );

/**
 * The year of an ISO date or instant string as written (its own offset): `YYYY-…`, an expanded
 * `±YYYYYY-…`, and the other forms luxon reads (basic `20261126T…`, week and ordinal dates).
 */
export function yearOf(iso: string): number | undefined {
  const m = /^([+-]\d{6}|\d{4})-/.exec(iso);
  if (m?.[1] !== undefined) return Number(m[1]);
  const parsed = DateTime.fromISO(iso, { setZone: true });
  return parsed.isValid ? parsed.year : undefined;
}

export const isSaneYear = (year: number): boolean => year >= MIN_YEAR && year <= MAX_YEAR;

export const inSaneYears = (iso: string): boolean => {
  const y = yearOf(iso);
  return y !== undefined && isSaneYear(y);
};
export const SANE_YEARS_MESSAGE = `must be between the years ${MIN_YEAR} and ${MAX_YEAR}`;

/**
 * Splits items into runs of at most `maxCount` whose JSON together stays within `maxBytes` (an item
 * larger than that on its own gets a run of its own). Order is kept.
 */
export function chunkByJsonSize<T>(items: readonly T[], maxCount: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 2; // the list's brackets
  for (const item of items) {
    const size = utf8Bytes(JSON.stringify(item)) + 1; // and its comma
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 2;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** GET /v1/plan: touches per page when the client names no `limit`, and the most it may ask for. */
export const PLAN_PAGE_DEFAULT = 1000;
export const PLAN_PAGE_MAX = 5000;

/**
 * Delivery feedback (docs/delivery-feedback.md). A provider message id goes into a lookup item's key:
 * SES's are ~60 characters and End User Messaging's a UUID, so 256 is ample. SES names at most 50
 * recipients per message. A ledger row keeps at most this many provider events (its item stays far
 * under 400 KB; an email opened a thousand times is still one message). An SNS message carries one
 * SMS event of well under 2 KB; 64 KiB is what the handler reads of one.
 */
export const MAX_MESSAGE_ID_CHARS = 256;
export const MAX_FEEDBACK_RECIPIENTS = 50;
export const MAX_DELIVERY_EVENTS = 50;
export const MAX_SNS_MESSAGE_BYTES = 64 * 1024;
