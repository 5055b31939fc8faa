// What JSON allows but the store cannot hold exactly: numbers beyond ±(2^53 − 1), which the
// DynamoDB marshaller refuses rather than round (we refuse them too: a partner's large id must not
// be silently changed; send it as a string), numbers below DynamoDB's smallest magnitude (1e-130),
// and empty object keys (an empty attribute name). The document schemas refuse them at the edge,
// with the path of each offending value, instead of accepting a document that a write later fails on.
const MIN_MAGNITUDE = 1e-130;
const MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;

export interface StorableIssue {
  path: string[];
  message: string;
}

export function unstorableValues(value: unknown, path: string[] = []): StorableIssue[] {
  if (typeof value === 'number') {
    const m = Math.abs(value);
    return m !== 0 && (m < MIN_MAGNITUDE || m > MAX_MAGNITUDE)
      ? [
          {
            path,
            message:
              'number outside the storable range (1e-130 … 9007199254740991 in magnitude); send larger values as strings',
          },
        ]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableValues(v, [...path, String(i)]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(k === '' ? [{ path: [...path, k], message: 'empty keys cannot be stored' }] : []),
      ...unstorableValues(v, [...path, k]),
    ]);
  }
  return [];
}
