import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractSchema, customerSchema, eventSchema } from '../../../shared/domain/documents.js';
import { type ImportResult, importDocuments, importFile } from '../../../shared/import/import-file.js';
import { FakeImportStore } from './fake-store.js';
import { documentValue, expectStorable, hostileDocument, type Kind, lineOf } from './hostile.js';
import { tmpFiles } from './tmp-files.js';

const files = tmpFiles();
let fileNo = 0;

function expectWellFormed(result: ImportResult, lines: number, store: FakeImportStore): void {
  if (result.ok) {
    expect(result.written).toBe(result.count);
    return;
  }
  expect(store.writes).toBe(0);
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines).toBe(true);
    expect(typeof e.path).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

/** Usually `good`, sometimes one of the bad values. */
function mostly<T>(good: fc.Arbitrary<T>, ...bad: T[]): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
}

// Customers that are valid or nearly so, so the fuzz reaches the write pass and not only refusals.
const nearCustomer = fc.record(
  {
    id: mostly(fc.constantFrom('c-1', 'c-2', 'c-3', ' c-4 ', 'c-5'), ''),
    name: mostly(fc.constantFrom('Ann', 'Bo'), ' '),
    email: mostly(fc.constant('a@example.com'), 'not-an-email'),
    phone: mostly(fc.constant('+14155550123'), '+11234567890', '123'),
    locale: mostly(fc.constantFrom('en-US', 'zh-CN'), 'xx_YY'),
    timeZone: mostly(fc.constantFrom('UTC', 'Asia/Shanghai'), 'Mars/Base'),
    monthlyValue: mostly<number | string>(fc.integer({ min: 0, max: 900 }), -5, '12'),
    consent: fc.record({ email: fc.boolean(), sms: mostly<boolean | string>(fc.boolean(), 'yes') }),
    attributes: fc.dictionary(
      fc.string({ maxLength: 4 }),
      mostly<string | number | boolean | null>(fc.oneof(fc.string(), fc.integer(), fc.boolean()), null),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['id', 'name', 'locale', 'timeZone', 'monthlyValue', 'consent'] },
);

describe('fuzzing imports', () => {
  it('turns any JSON values, one a line, into ok or line errors, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.jsonValue(), nearCustomer), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('customers', 'contracts', 'events'),
        async (values, kind) => {
          const store = new FakeImportStore();
          const path = files.write(
            `fuzz-${fileNo++}.ndjson`,
            values.map((v) => JSON.stringify(v)).join('\n'),
          );
          const result = await importFile({ path, kind, store, batchSize: 3 });
          expectWellFormed(result, values.length, store);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('accepts exactly the inputs whose every line is a valid document with a fresh id', async () => {
    let okRuns = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(nearCustomer, { minLength: 1, maxLength: 5 }), async (values) => {
        const store = new FakeImportStore();
        const result = await importDocuments(values, 'customers', store, { batchSize: 2 });
        expectWellFormed(result, values.length, store);
        const parsed = values.map((v) => customerSchema.safeParse(v));
        const ids = parsed.flatMap((p) => (p.success ? [p.data.id] : []));
        const allValid = parsed.every((p) => p.success) && new Set(ids).size === ids.length;
        expect(result.ok).toBe(allValid);
        if (result.ok) {
          okRuns++;
          expect([...store.customerDocs.keys()]).toEqual(ids);
        }
      }),
      { numRuns: 150 },
    );
    // About one run in ten is all valid; none in 150 would mean the write path went unexercised.
    expect(okRuns).toBeGreaterThan(0);
  });

  it('never throws on arbitrary text lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 10 }),
        async (lines) => {
          const store = new FakeImportStore();
          const path = files.write(`text-${fileNo++}.ndjson`, lines.join('\n'));
          const result = await importFile({ path, kind: 'customers', store });
          expectWellFormed(result, lines.length, store);
        },
      ),
      { numRuns: 100 },
    );
  });
});

const schemas = { customers: customerSchema, contracts: contractSchema, events: eventSchema } as const;
const KINDS: readonly Kind[] = ['customers', 'contracts', 'events'];

describe('fuzzing the edges with what the store cannot keep', () => {
  it.each(KINDS)(
    'the %s schema refuses deep nesting, __proto__, oversized ids, insane years and control characters with a path, or passes what the store keeps',
    (kind) => {
      let passed = 0;
      fc.assert(
        fc.property(hostileDocument(kind), (raw) => {
          const result = schemas[kind].safeParse(documentValue(raw));
          if (result.success) {
            passed++;
            expectStorable(kind, result.data);
            return;
          }
          expect(result.error.issues.length).toBeGreaterThan(0);
          for (const issue of result.error.issues) {
            expect(Array.isArray(issue.path)).toBe(true);
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 400 },
      );
      // The arbitraries are hostile but not only: some documents must pass, or the property proves little.
      expect(passed).toBeGreaterThan(0);
    },
  );

  it('imports such lines as line errors or storable documents, never an exception, and writes nothing on a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...KINDS)
          .chain((kind) =>
            fc.tuple(fc.constant(kind), fc.array(hostileDocument(kind), { minLength: 1, maxLength: 4 })),
          ),
        async ([kind, docs]) => {
          const store = new FakeImportStore();
          const path = files.write(`hostile-${fileNo++}.ndjson`, docs.map(lineOf).join('\n'));
          const result = await importFile({ path, kind, store, batchSize: 2 });
          expectWellFormed(result, docs.length, store);
          const stored = { customers: store.customerDocs, contracts: store.contracts, events: store.events }[
            kind
          ];
          for (const doc of stored.values()) expectStorable(kind, { ...doc });
        },
      ),
      { numRuns: 120 },
    );
  });
});
