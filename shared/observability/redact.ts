// Personal data never reaches a log line: values under keys that hold personal data are replaced
// whole, and email addresses and phone numbers inside any other string are masked. Names cannot be
// recognised in free text, so handlers log ids, never a customer's name; the keys below catch the
// name fields of our own documents when a whole object is logged.

/** Keys whose values are personal data wherever they appear (compared case-insensitively). */
const PERSONAL_KEYS = new Set([
  'name',
  'firstname',
  'lastname',
  'fullname',
  'customername',
  'email',
  'phone',
  'to',
  'address',
  'destination',
  'destinationphonenumber',
  'recipient',
  'recipients',
  'text',
  'html',
  'subject',
  'body',
  'postaladdress',
]);

export const MASK = '***';

// Local part and domain as RFC 5322 allows in practice; the mask keeps nothing of either.
const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+/g;
// E.164 (+ and 8–15 digits) and the usual national spellings with spaces, dots or dashes; ISO dates
// and ULIDs do not match (a date has at most 8 digits and no leading +; a ULID has letters).
const PHONE = /\+\d[\d\s().-]{6,18}\d|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}/g;

export function maskText(text: string): string {
  return text.replace(EMAIL, MASK).replace(PHONE, MASK);
}

const MAX_DEPTH = 8;

/** A copy of `value` with personal data masked; cycles and deep nesting end as a marker. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      name: value.name,
      message: maskText(value.message),
      ...(value.stack !== undefined && { stack: maskText(value.stack) }),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      PERSONAL_KEYS.has(key.toLowerCase()) && v !== undefined && v !== null
        ? MASK
        : redact(v, depth + 1, seen);
  }
  return out;
}
