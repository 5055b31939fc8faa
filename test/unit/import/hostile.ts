// Documents as a hostile partner or a careless operator writes them (issue 9): nesting 20,000 levels
// deep, `__proto__` keys, ids of 1,000 CJK characters or 300 emoji, years 0001 and +275760, control
// characters and bidi overrides in names, numbers DynamoDB cannot keep. And the check that whatever
// a schema passes is something the store can keep.
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  inSaneYears,
  MAX_DEPTH,
  MAX_DOCUMENT_BYTES,
  MAX_ID_BYTES,
  MAX_KEY_BYTES,
  MAX_NAME_CHARS,
  MAX_TYPE_BYTES,
  UNSAFE_TEXT,
  utf8Bytes,
} from '../../../shared/domain/limits.js';
import { jsonBytes } from '../../../shared/domain/storable.js';

export type Kind = 'customers' | 'contracts' | 'events';

const OVER_BYTES = ['中'.repeat(1_000), '😀'.repeat(300), 'x'.repeat(100_000), '𠮷'.repeat(51)];
const UNSAFE = ['Ann\r\nBcc: x@example.com', 'a\u0000b', 'x\u202eexe.txt', 'tab\there', 'c\u2066-1'];

/** An id or text: usually ordinary, often hostile. */
export const hostileText = fc.oneof(
  { arbitrary: fc.constantFrom('c-1', 'c-2', 'k-1', 'e-1', 'purchase', 'mobile-plan-38'), weight: 4 },
  { arbitrary: fc.constantFrom(...OVER_BYTES), weight: 2 },
  { arbitrary: fc.constantFrom(...UNSAFE), weight: 2 },
  { arbitrary: fc.string({ maxLength: 12, unit: 'grapheme' }), weight: 1 },
  { arbitrary: fc.constantFrom('__proto__', '', ' ', 'ok'.repeat(100), '中'.repeat(66)), weight: 1 },
);

const INSTANTS = [
  '+275760-09-13T00:00:00Z',
  '9999-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '2101-01-01T00:00:00Z',
  '20261126T000000Z',
  '2026-W48-4T00:00:00Z',
  '2026-11-26T00:00:00Z',
  '2099-12-31T23:59:59+08:00',
  '1900-01-01T00:00:00Z',
];
export const hostileInstant = fc.oneof(
  fc.constantFrom(...INSTANTS),
  fc
    .date({
      min: new Date('1800-01-01T00:00:00Z'),
      max: new Date('2200-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
);
export const hostileDate = fc.constantFrom(
  '9999-12-31',
  '0001-01-01',
  '1899-12-31',
  '1900-01-01',
  '2026-11-26',
  '2100-12-31',
  '2101-01-01',
  '2026-02-30',
);

/** Placeholder for a nesting too deep to build with JSON.stringify; `lineOf` writes it out. */
export interface Deep {
  readonly deep: number;
}

/** `levels` maps in each other, without recursion. */
export function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const hostileKey = fc.oneof(
  { arbitrary: fc.string({ maxLength: 6 }), weight: 4 },
  { arbitrary: fc.constantFrom('__proto__', '', '键'.repeat(86), 'k'.repeat(256)), weight: 1 },
);
const hostileLeaf = fc.oneof(
  {
    arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
    weight: 6,
  },
  { arbitrary: fc.constantFrom(1e-200, 2 ** 60, -1e300, 9007199254740991, 0.5), weight: 1 },
  { arbitrary: fc.constantFrom('x'.repeat(40_000)), weight: 1 },
);
const shallowMap = fc.dictionary(hostileKey, fc.oneof(hostileLeaf, fc.array(hostileLeaf, { maxLength: 3 })), {
  maxKeys: 4,
});

/** A free-form map: ordinary, or deeper than the store keeps (up to 20,000 levels), or with `__proto__`. */
export const hostileMap = fc.oneof(
  { arbitrary: shallowMap, weight: 4 },
  { arbitrary: fc.integer({ min: MAX_DEPTH - 1, max: 20_000 }).map((n): Deep => ({ deep: n })), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('{"__proto__":{"x":1},"b":2}', '{"a":{"__proto__":1}}')
      .map((t): unknown => JSON.parse(t)),
    weight: 1,
  },
);

const consent = fc.record({ email: fc.boolean(), sms: fc.boolean() });

/** Usually `good`, one time in six `hostile`: each document has a few hostile fields, some none. */
const sometimes = <T>(good: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: good, weight: 5 }, { arbitrary: hostile, weight: 1 });

const goodInstant = fc.constantFrom(
  '2026-11-26T00:00:00Z',
  '2099-12-31T23:59:59+08:00',
  '1900-01-01T00:00:00Z',
);
const goodDate = fc.constantFrom('2026-01-01', '2026-12-31', '1900-01-01', '2100-12-31');

export function hostileDocument(kind: Kind): fc.Arbitrary<Record<string, unknown>> {
  const id = (...good: string[]) => sometimes(fc.constantFrom(...good), hostileText);
  switch (kind) {
    case 'customers':
      return fc.record(
        {
          id: id('c-1', 'c-2', '中'.repeat(66)),
          name: sometimes(
            fc.constantFrom('Ann Lee', '欧阳晓明', '𠮷'.repeat(MAX_NAME_CHARS)),
            fc.oneof(hostileText, fc.constant('N'.repeat(5_000))),
          ),
          email: sometimes(fc.constant('a@example.com'), fc.constant(`${'a'.repeat(250)}@example.com`)),
          locale: sometimes(fc.constantFrom('en-US', 'zh-CN'), fc.constant(`en-${'abcd-'.repeat(20_000)}US`)),
          timeZone: sometimes(fc.constantFrom('UTC', 'Asia/Shanghai'), fc.constant('A'.repeat(100_000))),
          birthday: sometimes(
            fc.constantFrom('07-14', '02-29', '1990-07-14'),
            fc.constantFrom('0001-07-14', '9999-07-14'),
          ),
          monthlyValue: sometimes(fc.constantFrom(0, 42), fc.constantFrom(1e-200, 2 ** 60)),
          consent,
          lastActivityAt: sometimes(goodInstant, hostileInstant),
          attributes: sometimes(fc.constant({ tier: 'gold', score: 3 }), hostileMap),
        },
        { requiredKeys: ['id', 'name', 'monthlyValue', 'locale', 'timeZone', 'consent'] },
      );
    case 'contracts':
      return fc.record({
        id: id('k-1', 'k-2'),
        customerId: id('c-1'),
        product: id('mobile-plan-38', 'Family plan 5 GB'),
        startDate: sometimes(goodDate, hostileDate),
        endDate: sometimes(goodDate, hostileDate),
        status: fc.constantFrom('active', 'renewed', 'cancelled'),
      });
    case 'events':
      return fc.record(
        {
          id: id('e-1', 'e-2'),
          customerId: id('c-1'),
          type: id('purchase', 'app.login'),
          occurredAt: sometimes(goodInstant, hostileInstant),
          data: sometimes(fc.constant({ ticket: 'T-9', items: [1, 2] }), hostileMap),
        },
        { requiredKeys: ['id', 'customerId', 'type', 'occurredAt'] },
      );
  }
}

const isDeep = (v: unknown): v is Deep =>
  typeof v === 'object' && v !== null && 'deep' in v && Object.keys(v).length === 1;

/** The document as a value, its `Deep` placeholders built out. */
export function documentValue(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, isDeep(v) ? nested(v.deep) : v]));
}

/** The document as one NDJSON line; deep maps written as text (JSON.stringify would overflow). */
export function lineOf(doc: Record<string, unknown>): string {
  const deep = new Map<string, string>();
  const shallow = Object.fromEntries(
    Object.entries(doc).map(([k, v]) => {
      if (!isDeep(v)) return [k, v];
      const marker = `__deep_${k}__`;
      deep.set(`"${marker}"`, `${'{"a":'.repeat(v.deep)}1${'}'.repeat(v.deep)}`);
      return [k, marker];
    }),
  );
  let line = JSON.stringify(shallow);
  for (const [marker, text] of deep) line = line.replace(marker, text);
  return line;
}

const ID_FIELDS: Record<Kind, string[]> = {
  customers: ['id'],
  contracts: ['id', 'customerId', 'product'],
  events: ['id', 'customerId'],
};

/** Deepest path length below `value` and every key of its maps, without recursion. */
function shapeOf(value: unknown): { depth: number; keys: string[] } {
  let depth = 0;
  const keys: string[] = [];
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, d] = item;
    depth = Math.max(depth, d);
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else
      for (const [k, x] of Object.entries(v)) {
        keys.push(k);
        stack.push([x, d + 1]);
      }
  }
  return { depth, keys };
}

/** What a schema passed is what the store keeps: the marshaller takes it and every bound holds. */
export function expectStorable(kind: Kind, doc: Record<string, unknown>): void {
  expect(() => marshall({ pk: 'x', sk: 'y', doc }, { removeUndefinedValues: true })).not.toThrow();
  expect(jsonBytes(doc)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
  for (const field of ID_FIELDS[kind])
    expect(utf8Bytes(String(doc[field]))).toBeLessThanOrEqual(MAX_ID_BYTES);
  if (kind === 'events') expect(utf8Bytes(String(doc.type))).toBeLessThanOrEqual(MAX_TYPE_BYTES);
  if (kind === 'customers') expect(String(doc.name)).not.toMatch(UNSAFE_TEXT);
  for (const field of ['occurredAt', 'lastActivityAt', 'startDate', 'endDate'])
    if (typeof doc[field] === 'string') expect(inSaneYears(String(doc[field])), field).toBe(true);
  for (const field of ['attributes', 'data']) {
    if (doc[field] === undefined) continue;
    const { depth, keys } = shapeOf(doc[field]);
    expect(depth).toBeLessThanOrEqual(MAX_DEPTH);
    for (const k of keys) {
      expect(k).not.toBe('__proto__');
      expect(k).not.toBe('');
      expect(utf8Bytes(k)).toBeLessThanOrEqual(MAX_KEY_BYTES);
    }
  }
}
