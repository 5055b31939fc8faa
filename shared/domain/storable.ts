// What JSON allows but DynamoDB cannot hold: numbers outside its range (magnitude 1e-130 … <1e126)
// and empty object keys (an empty attribute name). The document schemas refuse them at the edge,
// with the path of each offending value, instead of accepting a document that a write later fails on.
const MIN_MAGNITUDE = 1e-130;
const MAX_MAGNITUDE = 1e126;

export interface StorableIssue {
  path: string[];
  message: string;
}

export function unstorableValues(value: unknown, path: string[] = []): StorableIssue[] {
  if (typeof value === 'number') {
    const m = Math.abs(value);
    return m !== 0 && (m < MIN_MAGNITUDE || m >= MAX_MAGNITUDE)
      ? [{ path, message: 'number outside the storable range (1e-130 … 1e126 in magnitude)' }]
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
