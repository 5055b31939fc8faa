// What "all or nothing" means for an import (shared/import/import-file.ts): every line the store
// could not keep is refused by its line in the first pass, the write pass stores exactly what was
// validated even when the file changes meanwhile, and a write pass that fails part-way is completed
// by importing the same file again, ending exactly as a clean import would.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Contract,
  type Customer,
  type CustomerEvent,
  customerSchema,
} from '../../../shared/domain/documents.js';
import { MAX_LINE_BYTES } from '../../../shared/domain/limits.js';
import { ImportIncompleteError } from '../../../shared/import/errors.js';
import {
  type DocumentKind,
  type ImportResult,
  importFile,
  importParsed,
} from '../../../shared/import/import-file.js';
import { readDocumentsFrom } from '../../../shared/import/parse.js';
import type { DocumentStore } from '../../../shared/ports/documents.js';
import { type MemoryStores, memoryStores } from '../../support/fakes/memory-stores.js';
import { FakeImportStore } from './fake-store.js';
import { tmpFiles } from './tmp-files.js';

const files = tmpFiles();

const customer = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `c-${i}`,
    name: `Customer ${i}`,
    email: `c-${i}@example.com`,
    locale: 'en-US',
    timeZone: i % 2 === 0 ? 'UTC' : 'Asia/Shanghai',
    monthlyValue: i % 700,
    consent: { email: true, sms: false },
    lastActivityAt: `2026-10-${String((i % 28) + 1).padStart(2, '0')}T08:00:00Z`,
    ...extra,
  });
const contract = (i: number) =>
  JSON.stringify({
    id: `k-${i}`,
    customerId: `c-${(i % 400) + 1}`,
    product: 'plan-38',
    startDate: '2026-01-01',
    endDate: `2026-12-${String((i % 28) + 1).padStart(2, '0')}`,
    status: 'active',
  });
const event = (i: number) =>
  JSON.stringify({
    id: `e-${i}`,
    customerId: `c-${(i % 400) + 1}`,
    type: i % 3 === 0 ? 'purchase' : 'app.login',
    occurredAt: `2026-11-${String((i % 28) + 1).padStart(2, '0')}T12:00:00Z`,
    data: { n: i },
  });
const lines = (n: number, line: (i: number) => string) =>
  `${Array.from({ length: n }, (_, i) => line(i + 1)).join('\n')}\n`;

async function* streamOf(chunks: string[]): AsyncGenerator<string> {
  yield* chunks;
}

describe('every line the store cannot keep is refused in the first pass, by its line', () => {
  // The attack: 301 lines, line 251 with a 500 KB name: 299 customers were written, then a store error.
  const line251 = customer(251, { name: 'N'.repeat(500_000) });
  const body = lines(301, (i) => (i === 251 ? line251 : customer(i)));

  it('refuses a 301-line file whose line 251 has a 500 KB name by line 251, and writes nothing', async () => {
    const store = new FakeImportStore();
    const result = await importFile({
      path: files.write('line-251.ndjson', body),
      kind: 'customers',
      store,
      batchSize: 100,
    });
    expect(result).toMatchObject({ ok: false, count: 300, errorCount: 1 });
    expect(result.ok ? [] : result.errors).toEqual([
      {
        line: 251,
        path: '',
        message: `line is ${Buffer.byteLength(line251).toLocaleString('en')} bytes; a line may be at most ${MAX_LINE_BYTES.toLocaleString('en')} bytes and a document at most 32,768`,
      },
    ]);
    expect(store.writes).toBe(0);
  });

  it('refuses the same line by its number through the upload reader, and as CSV', async () => {
    const store = new FakeImportStore();
    const third = Math.floor(body.length / 3);
    const chunks = [body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)];
    const upload = await importParsed(
      () => readDocumentsFrom(streamOf(chunks), 'customers', 'ndjson'),
      'customers',
      store,
    );
    expect(upload.ok ? [] : upload.errors.map((e) => e.line)).toEqual([251]);

    const header = 'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms';
    const row = (i: number) => `c-${i},${i === 251 ? 'N'.repeat(500_000) : `Customer ${i}`},en-US,UTC,10,1,0`;
    const csv = `${header}\n${Array.from({ length: 301 }, (_, i) => row(i + 1)).join('\n')}\n`;
    const result = await importFile({ path: files.write('line-251.csv', csv), kind: 'customers', store });
    // Line 252: the header is line 1.
    expect(result.ok ? [] : result.errors.map((e) => e.line)).toEqual([252]);
    expect(store.writes).toBe(0);
  });

  it('refuses a document over the item size, a name too long to send and 20,000 nested levels, each on its line', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${i}`, 'x'.repeat(1000)]));
    const deep = `{"id":"e-deep","customerId":"c-2","type":"t","occurredAt":"2026-11-01T00:00:00Z","data":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const store = new FakeImportStore();
    const customers = await importFile({
      path: files.write(
        'sizes.ndjson',
        [customer(1), customer(2, { attributes }), customer(3, { name: 'N'.repeat(5_000) })].join('\n'),
      ),
      kind: 'customers',
      store,
    });
    expect(customers.ok ? [] : customers.errors.map((e) => [e.line, e.path])).toEqual([
      [2, 'attributes'],
      [3, 'name'],
    ]);
    expect(store.writes).toBe(0);
    store.customerDocs.set('c-2', customerSchema.parse(JSON.parse(customer(2))));
    const events = await importFile({
      path: files.write('deep.ndjson', [event(1), deep, event(401)].join('\n')),
      kind: 'events',
      store,
    });
    expect(events.ok).toBe(false);
    expect(events.ok ? [] : [...new Set(events.errors.map((e) => e.line))]).toEqual([2]);
    expect(store.writes).toBe(0);
  });

  it('refuses a CSV column nested deeper than the store keeps, on the header line', async () => {
    const column = Array.from({ length: 20_000 }, () => 'a').join('.');
    const path = files.write('deep.csv', `id,${column}\nc-1,x\n`);
    const result = await importFile({ path, kind: 'customers', store: new FakeImportStore() });
    expect(result.ok ? [] : result.errors).toEqual([
      { line: 1, path: '', message: 'column 2 nests 20000 levels deep; at most 16 are allowed' },
    ]);
  });

  it('quotes at most 300 characters of a 100 KB value or key in an error', async () => {
    const result = await importFile({
      path: files.write(
        'quoted.ndjson',
        [customer(1, { monthlyValue: 'x'.repeat(100_000) }), customer(2, { ['k'.repeat(100_000)]: 1 })].join(
          '\n',
        ),
      ),
      kind: 'customers',
      store: new FakeImportStore(),
    });
    expect(result.ok).toBe(false);
    for (const e of result.ok ? [] : result.errors) {
      expect(e.message.length).toBeLessThanOrEqual(300);
      expect(e.path.length).toBeLessThanOrEqual(300);
    }
  });
});

describe('the write pass stores exactly what the first pass validated', () => {
  it('a file edited between the validate and the write pass stores the validated content, not a mix', async () => {
    const path = files.write(
      'edited.ndjson',
      lines(10_000, (i) => customer(i)),
    );
    const store = new FakeImportStore();
    let edited = false;
    const result = await importFile({
      path,
      kind: 'customers',
      store,
      onProgress: (p) => {
        if (p.phase !== 'validate' || p.lines < 10_000 || edited) return;
        // The attack: the file shrinks to 5,000 other customers while the import is running.
        writeFileSync(
          path,
          lines(5_000, (i) => customer(i, { name: `Edited ${i}` })),
        );
        edited = true;
      },
    });
    expect(edited).toBe(true);
    expect(result).toEqual({ ok: true, count: 10_000, written: 10_000 });
    expect(store.customerDocs.size).toBe(10_000);
    expect([...store.customerDocs.values()].filter((c) => c.name.startsWith('Edited'))).toEqual([]);
  });
});

/**
 * The documents port of `inner`, failing once `budget` documents have been written: the batch in
 * flight is written up to the budget, then the call throws, as a store failing mid-batch would.
 */
class FailingDocuments implements DocumentStore {
  constructor(
    private readonly inner: DocumentStore,
    private budget: number,
  ) {}
  private take<T>(docs: readonly T[]): { now: readonly T[]; fail: boolean } {
    const now = docs.slice(0, Math.max(0, this.budget));
    this.budget -= now.length;
    return { now, fail: now.length < docs.length };
  }
  async putCustomers(docs: readonly Customer[]): Promise<void> {
    const { now, fail } = this.take(docs);
    await this.inner.putCustomers(now);
    if (fail) throw new Error('ProvisionedThroughputExceededException');
  }
  async putContracts(docs: readonly Contract[]): Promise<void> {
    const { now, fail } = this.take(docs);
    await this.inner.putContracts(now);
    if (fail) throw new Error('ProvisionedThroughputExceededException');
  }
  async putEvents(docs: readonly CustomerEvent[]): Promise<string[]> {
    const { now, fail } = this.take(docs);
    const fresh = await this.inner.putEvents(now);
    if (fail) throw new Error('ProvisionedThroughputExceededException');
    return fresh;
  }
  existingCustomerIds(ids: readonly string[]): Promise<Set<string>> {
    return this.inner.existingCustomerIds(ids);
  }
}

const KINDS: [DocumentKind, string][] = [
  ['customers', lines(400, customer)],
  ['contracts', lines(1_000, contract)],
  ['events', lines(1_500, event)],
];

/** Everything an import leaves behind that a reader can see: documents and each day's last-activity index. */
async function stateOf(stores: MemoryStores) {
  const days = Array.from({ length: 62 }, (_, i) =>
    new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10),
  );
  const active = await Promise.all(
    days.map(async (d) => [d, (await stores.due.customersLastActiveOn(d)).sort()] as const),
  );
  return {
    customers: stores.documents.customers,
    contracts: stores.documents.contracts,
    events: stores.documents.events,
    lastActive: active.filter(([, ids]) => ids.length > 0),
  };
}

describe('a write pass that fails part-way completes when the same file is imported again', () => {
  it('a write pass that fails after N writes completes on retry, ending exactly as a clean import, with events counted once', async () => {
    const clean = memoryStores();
    for (const [kind, text] of KINDS) {
      const result = await importFile({
        path: files.write(`clean-${kind}.ndjson`, text),
        kind,
        store: clean,
      });
      expect(result.ok).toBe(true);
    }

    const retried = memoryStores();
    for (const [kind, text] of KINDS) {
      const path = files.write(`retry-${kind}.ndjson`, text);
      // Fails inside the third batch: two batches and part of the third are stored.
      const failing = { ...retried, documents: new FailingDocuments(retried.documents, 250) };
      const before = retried.documents.events.size;
      const failed = await importFile({ path, kind, store: failing, batchSize: 100 }).catch(
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(ImportIncompleteError);
      expect(failed).toMatchObject({ written: 200 });
      const partlyNew = retried.documents.events.size - before;
      const again: ImportResult = await importFile({ path, kind, store: retried, batchSize: 100 });
      expect(again).toMatchObject({ ok: true });
      if (kind === 'events' && again.ok) {
        expect(partlyNew).toBe(250);
        // Conditional by id: the 250 the failed attempt stored are not new again.
        expect(again.newEvents).toBe(1_500 - 250);
      }
    }
    expect(await stateOf(retried)).toEqual(await stateOf(clean));
  });
});
