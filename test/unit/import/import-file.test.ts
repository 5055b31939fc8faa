import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDocuments, importFile } from '../../../shared/import/import-file.js';
import { FakeImportStore } from './fake-store.js';
import { tmpFiles } from './tmp-files.js';

const EXAMPLES = resolve(import.meta.dirname, '../../../examples');
const files = tmpFiles();

const customer = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    name: `Name ${id}`,
    email: `${id}@example.com`,
    locale: 'en-US',
    timeZone: 'America/New_York',
    monthlyValue: 50,
    consent: { email: true, sms: false },
    ...extra,
  });

async function storeWithExampleCustomers(): Promise<FakeImportStore> {
  const store = new FakeImportStore();
  const result = await importFile({ path: join(EXAMPLES, 'customers.ndjson'), kind: 'customers', store });
  expect(result.ok).toBe(true);
  return store;
}

describe('importFile', () => {
  it('imports the example files cleanly', async () => {
    const store = new FakeImportStore();
    expect(await importFile({ path: join(EXAMPLES, 'customers.ndjson'), kind: 'customers', store })).toEqual({
      ok: true,
      count: 6,
      written: 6,
    });
    expect(await importFile({ path: join(EXAMPLES, 'contracts.ndjson'), kind: 'contracts', store })).toEqual({
      ok: true,
      count: 6,
      written: 6,
    });
    expect(await importFile({ path: join(EXAMPLES, 'events.ndjson'), kind: 'events', store })).toEqual({
      ok: true,
      count: 2,
      written: 2,
      newEvents: 2,
    });
    expect([...store.customerDocs.keys()]).toEqual([
      'c-1001',
      'c-1002',
      'c-1003',
      'c-1004',
      'c-1005',
      'c-1006',
    ]);
    expect(store.customerDocs.get('c-1001')?.attributes).toEqual({ city: 'Shanghai' });
    expect([...store.events.keys()]).toEqual(['ev-3001', 'ev-3002']);
  });

  it('counts a second import of the same events as written but not new', async () => {
    const store = await storeWithExampleCustomers();
    const path = join(EXAMPLES, 'events.ndjson');
    await importFile({ path, kind: 'events', store });
    expect(await importFile({ path, kind: 'events', store })).toEqual({
      ok: true,
      count: 2,
      written: 2,
      newEvents: 0,
    });
  });

  it('reports every bad line with its line and path, and stores nothing', async () => {
    const path = files.write(
      'bad-customers.ndjson',
      [
        customer('c-1'),
        customer('c-2', { phone: '+11234567890' }),
        customer('c-3', { timeZone: 'Mars/Olympus_Mons' }),
        JSON.stringify({ ...JSON.parse(customer('c-4')), name: undefined }),
        '{"id": "c-5", "name": ',
        customer('c-6', { monthlyValue: -5 }),
        customer('c-7', { nickname: 'Seven' }),
        customer('c-1'),
        '',
        '   ',
        customer('c-10'),
      ].join('\n'),
    );
    const store = new FakeImportStore();
    const result = await importFile({ path, kind: 'customers', store });
    expect(store.writes).toBe(0);
    expect(result).toMatchObject({ ok: false, count: 8, errorCount: 7, moreErrors: 0 });
    if (result.ok) return;
    expect(result.errors).toEqual([
      { line: 2, path: 'phone', message: 'must be a valid E.164 phone number such as +14155550123' },
      { line: 3, path: 'timeZone', message: 'must be an IANA time zone such as Asia/Shanghai' },
      { line: 4, path: 'name', message: 'is required' },
      { line: 5, path: '', message: expect.stringMatching(/^invalid JSON: /) },
      { line: 6, path: 'monthlyValue', message: 'must be ≥ 0' },
      { line: 7, path: 'nickname', message: 'unknown field' },
      { line: 8, path: 'id', message: 'duplicate id c-1, first on line 1' },
    ]);
  });

  it('stores nothing when the only bad line is the last of many', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => customer(`c-${i}`));
    lines.push(customer('c-last', { consent: { email: true } }));
    const path = files.write('bad-at-end.ndjson', `${lines.join('\n')}\n`);
    const store = new FakeImportStore();
    const result = await importFile({ path, kind: 'customers', store, batchSize: 100 });
    expect(result).toEqual({
      ok: false,
      count: 1201,
      errorCount: 1,
      moreErrors: 0,
      errors: [{ line: 1201, path: 'consent.sms', message: 'is required' }],
    });
    expect(store.writes).toBe(0);
  });

  it('refuses events for unknown customers, looking customers up a batch at a time', async () => {
    const store = await storeWithExampleCustomers();
    const event = (id: string, customerId: string) =>
      JSON.stringify({ id, customerId, type: 'app.login', occurredAt: '2026-11-25T12:00:00Z' });
    const path = files.write(
      'events.ndjson',
      [
        event('e1', 'c-1001'),
        event('e2', 'c-9999'),
        event('e3', 'c-1002'),
        event('e4', 'c-1001'),
        event('e5', 'c-9999'),
      ].join('\n'),
    );
    const result = await importFile({ path, kind: 'events', store, batchSize: 2 });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { line: 2, path: 'customerId', message: 'unknown customer c-9999' },
        { line: 5, path: 'customerId', message: 'unknown customer c-9999' },
      ],
    });
    expect(store.events.size).toBe(0);
    // Distinct ids per batch; ids already found are not asked again.
    expect(store.lookups).toEqual([
      ['c-1001', 'c-9999'],
      ['c-1002', 'c-9999'],
    ]);
  });

  it('writes in batches of batchSize and reports progress of both passes', async () => {
    const path = files.write(
      'many.ndjson',
      Array.from({ length: 23 }, (_, i) => customer(`c-${i}`)).join('\n'),
    );
    const store = new FakeImportStore();
    const progress: string[] = [];
    const result = await importFile({
      path,
      kind: 'customers',
      store,
      batchSize: 10,
      onProgress: (p) => progress.push(`${p.phase} ${p.lines} ${p.written}`),
    });
    expect(result).toEqual({ ok: true, count: 23, written: 23 });
    expect(store.writeBatches).toEqual([10, 10, 3]);
    expect(progress).toEqual([
      'validate 10 0',
      'validate 20 0',
      'validate 23 0',
      'write 10 10',
      'write 20 20',
      'write 23 23',
    ]);
  });

  it('keeps the first maxErrors problems and counts the rest', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => customer(`c-${i}`, { monthlyValue: 'lots' }));
    const path = files.write('many-bad.ndjson', lines.join('\n'));
    const result = await importFile({ path, kind: 'customers', store: new FakeImportStore(), maxErrors: 5 });
    expect(result).toMatchObject({ ok: false, count: 50, errorCount: 50, moreErrors: 45 });
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
    expect(result.errors[0]).toEqual({
      line: 1,
      path: 'monthlyValue',
      message: 'expected a number, got "lots"',
    });
  });

  it('explains whole-line shapes that are not a document', async () => {
    const path = files.write('shapes.jsonl', ['[{"id":"x"}]', '"c-1"', 'null', '42'].join('\r\n'));
    const result = await importFile({ path, kind: 'contracts', store: new FakeImportStore() });
    expect(result.ok ? [] : result.errors).toEqual([
      { line: 1, path: '', message: 'expected one JSON object per line (NDJSON), got an array' },
      { line: 2, path: '', message: 'expected a JSON object, got string "c-1"' },
      { line: 3, path: '', message: 'expected a JSON object, got null' },
      { line: 4, path: '', message: 'expected a JSON object, got number 42' },
    ]);
  });

  it('refuses a contract that ends before it starts, at endDate', async () => {
    const contracts = readFileSync(join(EXAMPLES, 'contracts.ndjson'), 'utf8').trim().split('\n');
    const bad = JSON.stringify({ ...JSON.parse(contracts[0] ?? '{}'), id: 'k-9', startDate: '2027-01-01' });
    const path = files.write('contracts.ndjson', [...contracts, bad].join('\n'));
    const store = new FakeImportStore();
    const result = await importFile({ path, kind: 'contracts', store });
    expect(result.ok ? [] : result.errors).toEqual([
      { line: 7, path: 'endDate', message: 'must not be before startDate' },
    ]);
    expect(store.writes).toBe(0);
  });

  it('throws a typed error for a file it cannot read', async () => {
    await expect(
      importFile({ path: files.path('missing.ndjson'), kind: 'customers', store: new FakeImportStore() }),
    ).rejects.toMatchObject({ name: 'ImportSourceError', problem: 'unreadable' });
  });
});

describe('importDocuments', () => {
  it('validates in-memory documents with line = index + 1, all or nothing', async () => {
    const store = new FakeImportStore();
    const good = JSON.parse(customer('c-1'));
    const refused = await importDocuments(
      [good, { ...good, id: 'c-2', locale: 'not a locale!' }],
      'customers',
      store,
    );
    expect(refused).toMatchObject({
      ok: false,
      errors: [{ line: 2, path: 'locale', message: 'must be a BCP 47 locale such as en-US or zh-CN' }],
    });
    expect(store.writes).toBe(0);
    expect(await importDocuments([good, { ...good, id: 'c-2' }], 'customers', store)).toEqual({
      ok: true,
      count: 2,
      written: 2,
    });
    expect([...store.customerDocs.keys()]).toEqual(['c-1', 'c-2']);
  });

  it('stores what the schema outputs (trimmed ids and names)', async () => {
    const store = new FakeImportStore();
    await importDocuments(
      [{ ...JSON.parse(customer('c-1')), id: ' c-1 ', name: ' Ann ' }],
      'customers',
      store,
    );
    expect(store.customerDocs.get('c-1')?.name).toBe('Ann');
  });
});
