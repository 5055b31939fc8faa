// The cloud's chunked import (shared/usecases/imports/chunked-import.ts), its steps driven in the
// order of the state machine in infra/constructs/uploads.ts over an in-memory S3: all or nothing
// across chunks, line numbers of the whole file, duplicates across chunks, redrives harmless.
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/import-upload.js';
import { checkAll } from '../../../shared/import/check.js';
import { importDocuments } from '../../../shared/import/import-file.js';
import { readDocumentsFrom } from '../../../shared/import/parse.js';
import type { ImportJob } from '../../../shared/ports/import-jobs.js';
import {
  CHUNKED_IMPORT_MIN_BYTES,
  type ChunkedImportDeps,
  checkDuplicates,
  decideImport,
  failImport,
  finishImport,
  importPathFor,
  planImport,
  validateChunk,
  writeChunk,
} from '../../../shared/usecases/imports/chunked-import.js';
import { runImportJob } from '../../../shared/usecases/imports/run-import.js';
import {
  customerLine,
  MemoryImportObjects,
  TEST_IMPORT_BUCKET,
} from '../../support/fakes/memory-import-objects.js';
import { type MemoryStores, memoryStores } from '../../support/fakes/memory-stores.js';

const BUCKET = TEST_IMPORT_BUCKET;
const customer = customerLine;
const lines = (n: number, line: (i: number) => string = (i) => customer(i)) =>
  Array.from({ length: n }, (_, i) => line(i + 1));

async function* textOf(text: string): AsyncGenerator<string> {
  yield text;
}

let jobNo = 0;
async function upload(
  stores: MemoryStores,
  objects: MemoryImportObjects,
  text: string,
  format: 'ndjson' | 'csv' = 'ndjson',
) {
  const job: ImportJob = {
    id: `01JD0000000000000000000${String(jobNo++).padStart(3, '0')}`,
    kind: 'customers',
    format,
    status: 'pending',
    createdAt: '2026-11-26T08:00:00.000Z',
    updatedAt: '2026-11-26T08:00:00.000Z',
    uploadExpiresAt: '2026-11-26T08:15:00.000Z',
  };
  await stores.importJobs.createImportJob(job);
  const key = `imports/${job.id}/customers.${format}`;
  objects.put(BUCKET, key, text);
  return { importId: job.id, bucket: BUCKET, key };
}

/** Counts every customer write by id, to see each row written exactly once. */
function countWrites(stores: MemoryStores): Map<string, number> {
  const writes = new Map<string, number>();
  const put = stores.documents.putCustomers.bind(stores.documents);
  stores.documents.putCustomers = async (docs, opts) => {
    for (const d of docs) writes.set(d.id, (writes.get(d.id) ?? 0) + 1);
    return put(docs, opts);
  };
  return writes;
}

function setup() {
  const stores = memoryStores();
  const objects = new MemoryImportObjects();
  const deps: ChunkedImportDeps = {
    store: stores,
    objects,
    clock: { now: () => new Date('2026-11-26T08:00:00Z') },
  };
  return { stores, objects, deps };
}

/** The state machine's steps in order, as uploads.ts declares them (Maps run their items in order here). */
async function drive(
  deps: ChunkedImportDeps,
  input: { importId: string; bucket: string; key: string },
  targetBytes: number,
) {
  const plan = await planImport(deps, { ...input, targetBytes });
  if (!plan.claimed) return { plan };
  const { job, chunks, partitions } = plan;
  for (const chunk of chunks) await validateChunk(deps, { job, chunk });
  for (const partition of partitions) await checkDuplicates(deps, { job, chunks: chunks.length, partition });
  const decided = await decideImport(deps, { job, chunks: chunks.length, partitions: partitions.length });
  if (!decided.ok) return { plan, decided };
  const results = [];
  for (const chunk of chunks) results.push(await writeChunk(deps, { job, chunk }));
  await finishImport(deps, { job, results });
  return { plan, decided, results };
}

describe('the chunked import of a large upload', () => {
  it('a 3-chunk file with a bad line in chunk 3 writes nothing and names the line as one pass does', async () => {
    const { stores, objects, deps } = setup();
    const writes = countWrites(stores);
    const rows = lines(30);
    rows[26] = customer(27, { monthlyValue: 'lots' });
    const text = `${rows.join('\n')}\n`;
    const target = await upload(stores, objects, text);
    const { plan, decided } = await drive(deps, target, Math.ceil(text.length / 3));
    expect(plan.claimed && plan.chunks.length).toBe(3);
    expect(plan.claimed && plan.chunks[2]?.firstLine).toBeLessThan(27);
    expect(decided?.ok).toBe(false);
    expect(writes.size).toBe(0);
    const job = await stores.importJobs.getImportJob(target.importId);
    // Exactly what the single pass says about the same bytes.
    const single = await importDocuments(
      rows.map((r) => JSON.parse(r)),
      'customers',
      memoryStores(),
    );
    expect(single.ok).toBe(false);
    expect(job).toMatchObject({ status: 'failed', count: 30, errorCount: 1 });
    expect(job?.errors).toEqual(!single.ok && single.errors);
    expect(job?.errors?.[0]?.line).toBe(27);
  });

  it('refuses an id repeated across chunks, naming its first line as one pass does, and writes nothing', async () => {
    const { stores, objects, deps } = setup();
    const writes = countWrites(stores);
    const rows = lines(30);
    rows[24] = customer(3); // line 25 repeats line 3's id, two chunks later
    rows[25] = customer(3); // and line 26 again
    const text = `${rows.join('\n')}\n`;
    const target = await upload(stores, objects, text);
    const { decided } = await drive(deps, target, Math.ceil(text.length / 3));
    expect(decided?.ok).toBe(false);
    expect(writes.size).toBe(0);
    const job = await stores.importJobs.getImportJob(target.importId);
    expect(job?.errors).toEqual([
      { line: 25, path: 'id', message: 'duplicate id c-3, first on line 3' },
      { line: 26, path: 'id', message: 'duplicate id c-3, first on line 3' },
    ]);
  });

  it('writes every row of a valid file exactly once and ends as one clean import', async () => {
    const { stores, objects, deps } = setup();
    const writes = countWrites(stores);
    const text = `${lines(100).join('\r\n')}\r\n`;
    const target = await upload(stores, objects, text);
    const { plan } = await drive(deps, target, 1000);
    expect(plan.claimed && plan.chunks.length).toBeGreaterThan(5);
    expect(writes.size).toBe(100);
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    expect(await stores.importJobs.getImportJob(target.importId)).toMatchObject({
      status: 'succeeded',
      count: 100,
      written: 100,
    });
  });

  it('a redriven write child is harmless: the same chunk written again leaves the same store', async () => {
    const { stores, objects, deps } = setup();
    const text = `${lines(40).join('\n')}\n`;
    const target = await upload(stores, objects, text);
    const plan = await planImport(deps, { ...target, targetBytes: 1000 });
    if (!plan.claimed) throw new Error('not claimed');
    const { job, chunks, partitions } = plan;
    for (const chunk of chunks) await validateChunk(deps, { job, chunk });
    for (const partition of partitions)
      await checkDuplicates(deps, { job, chunks: chunks.length, partition });
    expect((await decideImport(deps, { job, chunks: chunks.length, partitions: partitions.length })).ok).toBe(
      true,
    );
    const results = [];
    for (const chunk of chunks) results.push(await writeChunk(deps, { job, chunk }));
    const before = structuredClone([...stores.documents.customers.entries()]);
    // The Map's first child is redriven after it had written.
    const first = chunks[0];
    if (!first) throw new Error('no chunk');
    results[0] = await writeChunk(deps, { job, chunk: first });
    await finishImport(deps, { job, results });
    expect([...stores.documents.customers.entries()]).toEqual(before);
    expect(await stores.importJobs.getImportJob(target.importId)).toMatchObject({
      status: 'succeeded',
      count: 40,
      written: 40,
    });
  });

  it('numbers CSV lines of every chunk as the whole file, a quoted field spanning lines included', async () => {
    const { stores, objects, deps } = setup();
    const header = 'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms';
    const row = (i: number) => `c-${i},"Customer ${i}",en-US,UTC,10,0,0`;
    const rows = Array.from({ length: 30 }, (_, i) => row(i + 1));
    rows[4] = 'c-5,"Customer\nfive",en-US,UTC,10,0,0'; // a record over two physical lines
    rows[27] = 'c-28,"Customer 28",en-US,UTC,ten,0,0'; // file line 30 (header, then the two-line record)
    const text = `${header}\n${rows.join('\n')}\n`;
    const target = await upload(stores, objects, text, 'csv');
    const { plan, decided } = await drive(deps, target, 200);
    expect(plan.claimed && plan.chunks.length).toBeGreaterThan(2);
    expect(decided?.ok).toBe(false);
    const single = await checkAll(
      readDocumentsFrom(textOf(text), 'customers', 'csv'),
      'customers',
      memoryStores(),
      {
        batchSize: 500,
        maxErrors: 1000,
      },
    );
    const job = await stores.importJobs.getImportJob(target.importId);
    expect(job?.errors).toEqual(single.log.errors());
    // The two-line record is refused on the line it starts (a name may not hold a line break).
    expect(job?.errors?.map((e) => e.line)).toEqual([6, 30]);
  });

  it('a CSV upload starting with blank lines keeps its header for every chunk, so no chunk drops its rows', async () => {
    const { stores, objects, deps } = setup();
    const writes = countWrites(stores);
    const header = 'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms';
    const rows = Array.from({ length: 30 }, (_, i) => `c-${i + 1},"Customer ${i + 1}",en-US,UTC,10,0,0`);
    const text = `\n  \n${header}\n${rows.join('\n')}\n`;
    const target = await upload(stores, objects, text, 'csv');
    const { plan } = await drive(deps, target, 200);
    expect(plan.claimed && plan.job.header).toEqual({ start: 0, end: 4 + header.length + 1 });
    expect(writes.size).toBe(30);
    expect(await stores.importJobs.getImportJob(target.importId)).toMatchObject({
      status: 'succeeded',
      count: 30,
    });
  });

  it('an upload replaced after the plan fails its job before anything is written', async () => {
    const { stores, objects, deps } = setup();
    const writes = countWrites(stores);
    const text = `${lines(20).join('\n')}\n`;
    const target = await upload(stores, objects, text);
    const plan = await planImport(deps, { ...target, targetBytes: 500 });
    if (!plan.claimed) throw new Error('not claimed');
    objects.put(BUCKET, target.key, `${lines(20, (i) => customer(i, { name: 'Other' })).join('\n')}\n`);
    for (const chunk of plan.chunks) await validateChunk(deps, { job: plan.job, chunk });
    for (const partition of plan.partitions)
      await checkDuplicates(deps, { job: plan.job, chunks: plan.chunks.length, partition });
    const decided = await decideImport(deps, {
      job: plan.job,
      chunks: plan.chunks.length,
      partitions: plan.partitions.length,
    });
    expect(decided.ok).toBe(false);
    expect(writes.size).toBe(0);
    const job = await stores.importJobs.getImportJob(target.importId);
    expect(job?.status).toBe('failed');
    expect(job?.message).toMatch(/replaced.*nothing was stored/);
  });

  it('a job is claimed once: a second execution for the same upload does nothing', async () => {
    const { stores, objects, deps } = setup();
    const target = await upload(stores, objects, `${lines(5).join('\n')}\n`);
    expect((await planImport(deps, target)).claimed).toBe(true);
    expect((await planImport(deps, target)).claimed).toBe(false);
  });

  it('a step that fails past its retries marks the job failed, saying whether anything was stored', async () => {
    const { stores, objects, deps } = setup();
    const target = await upload(stores, objects, `${lines(5).join('\n')}\n`);
    await planImport(deps, target);
    await failImport(deps, { importId: target.importId, error: 'States.Timeout' });
    expect(await stores.importJobs.getImportJob(target.importId)).toMatchObject({
      status: 'failed',
      message: 'States.Timeout; nothing was stored',
    });
  });

  it('takes the chunked path only from CHUNKED_IMPORT_MIN_BYTES, and the single importer below', () => {
    expect(importPathFor(CHUNKED_IMPORT_MIN_BYTES - 1)).toBe('single');
    expect(importPathFor(CHUNKED_IMPORT_MIN_BYTES)).toBe('chunked');
    expect(importPathFor(undefined)).toBe('single');
  });

  it('gives the same counts as the single importer for the same file', async () => {
    const { stores, objects, deps } = setup();
    const text = `${lines(25).join('\n')}\n`;
    const target = await upload(stores, objects, text);
    await drive(deps, target, 300);
    const other = memoryStores();
    const single = await upload(other, objects, text);
    await runImportJob({ store: other }, { importId: single.importId, open: () => textOf(text) });
    const a = await stores.importJobs.getImportJob(target.importId);
    const b = await other.importJobs.getImportJob(single.importId);
    expect({ status: a?.status, count: a?.count, written: a?.written }).toEqual({
      status: b?.status,
      count: b?.count,
      written: b?.written,
    });
  });
});

describe('the importer function, notified of an upload', () => {
  const record = (key: string, size: number) => ({
    Records: [{ s3: { bucket: { name: BUCKET }, object: { key, size } } }],
  });

  it('starts the chunked import for an upload of CHUNKED_IMPORT_MIN_BYTES or more, once, and leaves smaller ones to the single importer', async () => {
    const { stores, objects } = setup();
    const started: string[] = [];
    const handler = createHandler({
      store: stores,
      s3: new S3Client({ region: 'eu-central-1' }),
      log: { error: () => {} },
      machine: {
        start: async ({ importId }) => {
          if (started.includes(importId)) return 'already-started';
          started.push(importId);
          return 'started';
        },
      },
    });
    const big = await upload(stores, objects, `${lines(3).join('\n')}\n`);
    const event = record(big.key, CHUNKED_IMPORT_MIN_BYTES);
    expect(await handler(event)).toEqual([{ key: big.key, outcome: 'chunked' }]);
    // S3 delivers a notification at least once: the second start is refused by the execution name.
    expect(await handler(event)).toEqual([{ key: big.key, outcome: 'chunked-already-started' }]);
    expect(started).toEqual([big.importId]);
    // The job is left pending for the machine's plan to claim.
    expect((await stores.importJobs.getImportJob(big.importId))?.status).toBe('pending');
    // One byte less: the single importer's path (here a job it does not know), the machine untouched.
    const small = 'imports/01JD0000000000000000000ZZZ/customers.ndjson';
    expect(await handler(record(small, CHUNKED_IMPORT_MIN_BYTES - 1))).toEqual([
      { key: small, outcome: 'unknown-job' },
    ]);
    expect(started).toEqual([big.importId]);
  });
});
