// Paths into a JSON document and copies of it with one thing changed: how the fuzz tests make a
// valid request body invalid in exactly one place.

/** Paths to every value inside a JSON document (objects and arrays), the root excluded. */
export function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (isRecord(value))
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export type Mutation =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'extra'; value: unknown };
const REMOVED = Symbol('removed');

/** A copy of `value` with the mutation applied at `path`. */
export function change(value: unknown, path: readonly (string | number)[], op: Mutation): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    if (op.kind === 'delete') return REMOVED;
    if (op.kind === 'set') return op.value;
    return isRecord(value) ? { ...value, 'zz-extra': op.value } : value;
  }
  if (Array.isArray(value) && typeof head === 'number')
    return value.flatMap((v, i) => {
      if (i !== head) return [v];
      const c = change(v, rest, op);
      return c === REMOVED ? [] : [c];
    });
  if (isRecord(value) && typeof head === 'string') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = k === head ? change(v, rest, op) : v;
      if (c !== REMOVED) out[k] = c;
    }
    return out;
  }
  return value;
}
