// Per-line validation of imported documents with the contract's zod schemas, as line-numbered errors
// a person can act on (`line 7, consent.sms: expected a boolean, got "yes"`).
import type { z } from 'zod';
import {
  type Contract,
  type Customer,
  type CustomerEvent,
  contractSchema,
  customerSchema,
  eventSchema,
} from '../domain/documents.js';

export type DocumentKind = 'customers' | 'contracts' | 'events';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['customers', 'contracts', 'events'];

/** One problem on one line. `path` is joined with '.' (`consent.sms`); '' for whole-line problems. */
export type LineError = { line: number; path: string; message: string };

export interface DocumentOf {
  customers: Customer;
  contracts: Contract;
  events: CustomerEvent;
}

export const documentSchemas = {
  customers: customerSchema,
  contracts: contractSchema,
  events: eventSchema,
} as const;

export type Validated<T> = { ok: true; doc: T } | { ok: false; errors: LineError[] };

export function validateDocument<K extends DocumentKind>(
  kind: K,
  value: unknown,
  line: number,
): Validated<DocumentOf[K]>;
export function validateDocument(kind: DocumentKind, value: unknown, line: number): Validated<unknown> {
  if (Array.isArray(value)) {
    // A pretty-printed or one-line JSON array is the usual mistake; say what the format is.
    return {
      ok: false,
      errors: [{ line, path: '', message: 'expected one JSON object per line (NDJSON), got an array' }],
    };
  }
  const result = documentSchemas[kind].safeParse(value);
  if (result.success) return { ok: true, doc: result.data };
  // One error per path: a bad date fails its format and then its calendar check, and the first says it.
  const byPath = new Map<string, LineError>();
  for (const issue of result.error.issues) {
    for (const error of issueToLineErrors(line, value, issue)) {
      if (!byPath.has(error.path)) byPath.set(error.path, error);
    }
  }
  return { ok: false, errors: [...byPath.values()] };
}

function issueToLineErrors(line: number, value: unknown, issue: z.core.$ZodIssue): LineError[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    // One error per key, at the key's own path, so a stray CSV column is named exactly.
    return issue.keys.map((key) => ({ line, path: [...path, key].join('.'), message: 'unknown field' }));
  }
  return [{ line, path: path.join('.'), message: describe(issue, valueAt(value, issue.path)) }];
}

function describe(issue: z.core.$ZodIssue, actual: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (actual === undefined) return issue.path.length === 0 ? 'expected a JSON object' : 'is required';
  if (issue.path.length === 0) return `expected a JSON object, got ${kindOf(actual)}`;
  if (issue.expected === 'boolean' && typeof actual === 'string') {
    return `expected a boolean (true/false, or 1/0 in CSV), got "${actual}"`;
  }
  if (issue.expected === 'number' && typeof actual === 'string') return `expected a number, got "${actual}"`;
  return `expected ${issue.expected}, got ${kindOf(actual)}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = Object.getOwnPropertyDescriptor(current, key)?.value;
  }
  return current;
}

/**
 * Remembers every id seen in one import and the line it was first on. A Map of 1M short ids is a few
 * tens of MB, which is what all-or-nothing needs: a duplicate may sit anywhere in the file.
 */
export class IdRegistry {
  readonly #firstLine = new Map<string, number>();

  /** A LineError when `id` was already seen on an earlier line; otherwise records it. */
  /** The id as duplicates are compared (trimmed), or undefined when it is not a non-blank string. */
  static keyOf(id: unknown): string | undefined {
    if (typeof id !== 'string') return undefined;
    const key = id.trim();
    return key === '' ? undefined : key;
  }

  check(id: unknown, line: number): LineError | undefined {
    const key = IdRegistry.keyOf(id);
    if (key === undefined) return undefined;
    const first = this.#firstLine.get(key);
    if (first !== undefined)
      return { line, path: 'id', message: `duplicate id ${key}, first on line ${first}` };
    this.#firstLine.set(key, line);
    return undefined;
  }
}

/** The `id` field of a parsed JSON value, if it has one. */
export function rawId(value: unknown): unknown {
  return valueAt(value, ['id']);
}
