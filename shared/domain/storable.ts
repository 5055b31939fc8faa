// What JSON allows but the store cannot hold exactly: numbers beyond ±(2^53 − 1), which the
// DynamoDB marshaller refuses rather than round (we refuse them too: a partner's large id must not
// be silently changed; send it as a string), numbers below DynamoDB's smallest magnitude (1e-130),
// empty object keys (an empty attribute name), keys longer than MAX_KEY_BYTES, the key `__proto__`
// (JSON.parse makes it an own key, but any object it is copied into takes it as its prototype and
// loses it), and nesting deeper than MAX_DEPTH. The document schemas refuse them at the edge, with
// the path of each offending value, instead of accepting a document that a write later fails on.
//
// Both walks here are iterative (an explicit stack): a body of 20,000 nested levels is a document
// to refuse with a path, never a "Maximum call stack size exceeded".
import { MAX_DEPTH, MAX_KEY_BYTES, utf8Bytes } from './limits.js';

const MIN_MAGNITUDE = 1e-130;
const MAX_MAGNITUDE = Number.MAX_SAFE_INTEGER;
/** Enough to act on; a body of 100,000 bad numbers must not become a 10 MB problem document. */
export const MAX_STORABLE_ISSUES = 20;

export interface StorableIssue {
  path: string[];
  message: string;
}

function keyProblem(key: string): string | undefined {
  if (key === '') return 'empty keys cannot be stored';
  if (key === '__proto__')
    return 'the key __proto__ cannot be stored (JavaScript objects treat it as their prototype)';
  if (utf8Bytes(key) > MAX_KEY_BYTES) return `keys must be at most ${MAX_KEY_BYTES} bytes (UTF-8)`;
  return undefined;
}

/** Zero, or a magnitude in 1e-130 … 2^53 − 1: what DynamoDB's marshaller keeps exactly. */
export function isStorableNumber(n: number): boolean {
  const m = Math.abs(n);
  return m === 0 || (m >= MIN_MAGNITUDE && m <= MAX_MAGNITUDE);
}

function numberProblem(n: number): string | undefined {
  return isStorableNumber(n)
    ? undefined
    : 'number outside the storable range (1e-130 … 9007199254740991 in magnitude); send larger values as strings';
}

type Step =
  | { kind: 'value'; value: unknown; path: string[]; depth: number }
  | { kind: 'issue'; issue: StorableIssue };

/**
 * Everything in a free-form value (`attributes`, event `data`) the store cannot keep, by path, in
 * document order. `path` is where the value sits; depth counts from there (its entries are at 1).
 * Deeper than MAX_DEPTH is reported once, at the first too-deep path, and not descended into.
 */
export function unstorableValues(value: unknown, path: string[] = []): StorableIssue[] {
  const issues: StorableIssue[] = [];
  let depthReported = false;
  const stack: Step[] = [{ kind: 'value', value, path, depth: 0 }];
  for (let step = stack.pop(); step && issues.length < MAX_STORABLE_ISSUES; step = stack.pop()) {
    if (step.kind === 'issue') {
      issues.push(step.issue);
      continue;
    }
    const node = step.value;
    if (typeof node === 'number') {
      const problem = numberProblem(node);
      if (problem) issues.push({ path: step.path, message: problem });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const entries = Array.isArray(node)
      ? node.map((v: unknown, i): [string, unknown] => [String(i), v])
      : Object.entries(node);
    const first = entries[0];
    if (first === undefined) continue;
    if (step.depth >= MAX_DEPTH) {
      if (!depthReported)
        issues.push({
          path: [...step.path, first[0]],
          message: `nests deeper than ${MAX_DEPTH} levels; the store keeps at most ${MAX_DEPTH}`,
        });
      depthReported = true;
      continue;
    }
    // Pushed last entry first, so entries pop in document order; a bad key before what it holds.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (!entry) continue;
      const [k, v] = entry;
      const childPath = [...step.path, k];
      stack.push({ kind: 'value', value: v, path: childPath, depth: step.depth + 1 });
      const problem = Array.isArray(node) ? undefined : keyProblem(k);
      if (problem) stack.push({ kind: 'issue', issue: { path: childPath, message: problem } });
    }
  }
  return issues;
}

/**
 * The UTF-8 size of `JSON.stringify(value)`, counted without recursion (JSON.stringify itself
 * overflows the stack on deep input). Undefined map entries are left out, as JSON.stringify does.
 */
export function jsonBytes(value: unknown): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) {
      bytes += v === undefined ? 4 : utf8Bytes(JSON.stringify(v) ?? 'null'); // `null` in a list
      continue;
    }
    if (Array.isArray(v)) {
      bytes += 2 + Math.max(0, v.length - 1);
      for (const item of v) stack.push(item);
      continue;
    }
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    bytes += 2 + Math.max(0, entries.length - 1);
    for (const [k, x] of entries) {
      bytes += utf8Bytes(JSON.stringify(k)) + 1;
      stack.push(x);
    }
  }
  return bytes;
}
