// The write pass keeps several customers' batches in flight (an import of a million lines went at
// ~300/s when each batch waited for the one before), and a failure among them still ends as an
// ImportIncompleteError that counts only what was written, completed by importing again.
import { describe, expect, it } from 'vitest';
import type { Contract, Customer } from '../../../shared/domain/documents.js';
import {
  ImportIncompleteError,
  importDocuments,
  WRITE_CONCURRENCY,
} from '../../../shared/import/import-file.js';
import { FakeImportStore } from './fake-store.js';

const customer = (i: number) => ({
  id: `par-${i}`,
  name: `Customer ${i}`,
  email: `par-${i}@example.com`,
  locale: 'en-US',
  timeZone: 'UTC',
  monthlyValue: 50,
  consent: { email: true, sms: false },
});

const contract = (i: number) => ({
  id: `k-${i}`,
  customerId: `par-${i}`,
  product: 'fibre',
  startDate: '2025-01-01',
  endDate: '2026-12-31',
  status: 'active',
});

/** Lets a turn of the event loop pass (no timer): a store that waits this long overlaps only if the caller lets it. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Holds each write until `want` writes are in flight, or until 50 turns have passed without that. */
class OverlapStore extends FakeImportStore {
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly want: number) {
    super();
  }
  private async hold(): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    for (let i = 0; i < 50 && this.inFlight < this.want; i++) await turn();
    await turn();
    this.inFlight--;
  }
  override async putCustomers(customers: readonly Customer[]): Promise<void> {
    await this.hold();
    await super.putCustomers(customers);
  }
  override async putContracts(contracts: readonly Contract[]): Promise<void> {
    await this.hold();
    await super.putContracts(contracts);
  }
}

/** Fails its `failAt`-th customers write (1-based); the others succeed. */
class FailingStore extends FakeImportStore {
  calls = 0;
  constructor(private readonly failAt: number) {
    super();
  }
  override async putCustomers(customers: readonly Customer[]): Promise<void> {
    this.calls++;
    const call = this.calls;
    await turn();
    if (call === this.failAt) throw new Error('ProvisionedThroughputExceededException');
    await super.putCustomers(customers);
  }
}

describe('the write pass', () => {
  it('writes a customers file several batches at once, not each batch after the one before (the import that kept up at 300/s)', async () => {
    const store = new OverlapStore(WRITE_CONCURRENCY);
    const docs = Array.from({ length: 2_000 }, (_, i) => customer(i));
    const result = await importDocuments(docs, 'customers', store, { batchSize: 100 });
    expect(result).toEqual({ ok: true, count: 2_000, written: 2_000 });
    expect(store.maxInFlight).toBe(WRITE_CONCURRENCY);
    // Each customer exactly once.
    expect(store.customerDocs.size).toBe(2_000);
    expect(store.writeBatches.reduce((a, b) => a + b, 0)).toBe(2_000);
  });

  it('writes contracts one batch at a time: attribution reads what the batch before wrote', async () => {
    const store = new OverlapStore(2);
    const docs = Array.from({ length: 500 }, (_, i) => contract(i));
    const result = await importDocuments(docs, 'contracts', store, { batchSize: 50 });
    expect(result).toEqual({ ok: true, count: 500, written: 500 });
    expect(store.maxInFlight).toBe(1);
  });

  it('a batch failing while others are in flight ends the import as incomplete, counting only the completed writes, and the same input again completes it', async () => {
    const docs = Array.from({ length: 1_000 }, (_, i) => customer(i));
    const store = new FailingStore(3);
    const error = await importDocuments(docs, 'customers', store, { batchSize: 100 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportIncompleteError);
    if (!(error instanceof ImportIncompleteError)) return;
    expect(error.count).toBe(1_000);
    expect(error.written).toBe(store.customerDocs.size);
    expect(error.written).toBeLessThan(1_000);
    // No batch starts after the failure: at most the ones already in flight completed.
    expect(store.calls).toBeLessThanOrEqual(2 + WRITE_CONCURRENCY);

    const again = await importDocuments(docs, 'customers', store, { batchSize: 100 });
    expect(again).toEqual({ ok: true, count: 1_000, written: 1_000 });
    expect(store.customerDocs.size).toBe(1_000);
  });

  it('a refused file still writes nothing, whatever the concurrency', async () => {
    const store = new OverlapStore(WRITE_CONCURRENCY);
    const docs: unknown[] = Array.from({ length: 1_000 }, (_, i) => customer(i));
    docs[997] = { ...customer(997), email: 'not an address' };
    const result = await importDocuments(docs, 'customers', store, { batchSize: 100 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.line)).toEqual([998]);
    expect(store.writes).toBe(0);
  });
});
