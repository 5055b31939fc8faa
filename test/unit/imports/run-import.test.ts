// The import job (shared/usecases/imports/run-import.ts) as the cloud's importer runs it: both passes
// read the same bytes, a job stopped by its time limit says how far it got, and a job shows progress.
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../shared/ports/import-jobs.js';
import { runImportJob } from '../../../shared/usecases/imports/run-import.js';
import { s3ObjectSource } from '../../../shared/usecases/imports/s3-uploads.js';
import { type MemoryStores, memoryStores } from '../../support/fakes/memory-stores.js';

const customer = (i: number, name = `Customer ${i}`) =>
  JSON.stringify({
    id: `c-${i}`,
    name,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 10,
    consent: { email: false, sms: false },
  });
const fileOf = (n: number, name?: (i: number) => string) =>
  `${Array.from({ length: n }, (_, i) => customer(i + 1, name?.(i + 1))).join('\n')}\n`;

let jobNo = 0;
async function pendingJob(stores: MemoryStores): Promise<ImportJob> {
  const job: ImportJob = {
    id: `01JD00000000000000000000${String(jobNo++).padStart(2, '0')}`,
    kind: 'customers',
    format: 'ndjson',
    status: 'pending',
    createdAt: '2026-11-26T08:00:00.000Z',
    updatedAt: '2026-11-26T08:00:00.000Z',
    uploadExpiresAt: '2026-11-26T08:15:00.000Z',
  };
  await stores.importJobs.createImportJob(job);
  return job;
}

/** An S3 body as the SDK types it (a Node stream with the SDK's helpers). */
function bodyOf(text: string) {
  return Object.assign(Readable.from([Buffer.from(text)]), {
    transformToByteArray: async () => new Uint8Array(Buffer.from(text)),
    transformToString: async () => text,
    transformToWebStream: () => new ReadableStream<Uint8Array>(),
  });
}

describe('an upload job', () => {
  it('an S3 upload replaced between the validate and the write pass fails its job before anything is written', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const s3 = mockClient(client);
    // The first PUT's object validates; then a second PUT to the same URL replaces it with other customers.
    let reads = 0;
    s3.on(GetObjectCommand).callsFake(async (input: { IfMatch?: string }) => {
      reads++;
      if (reads === 1) return { Body: bodyOf(fileOf(300)), ETag: '"first"' };
      if (input.IfMatch === '"first"')
        throw new S3ServiceException({
          name: 'PreconditionFailed',
          $fault: 'client',
          $metadata: { httpStatusCode: 412 },
          message: 'At least one of the pre-conditions you specified did not hold',
        });
      return { Body: bodyOf(fileOf(150, (i) => `Replaced ${i}`)), ETag: '"second"' };
    });
    const stores = memoryStores();
    const job = await pendingJob(stores);
    const out = await runImportJob(
      { store: stores },
      { importId: job.id, open: s3ObjectSource(client, 'bucket', `imports/${job.id}/customers.ndjson`) },
    );
    expect(out).toMatchObject({
      outcome: 'finished',
      job: { status: 'failed', message: expect.stringMatching(/was replaced after it was validated/) },
    });
    expect(stores.documents.customers.size).toBe(0);
  });

  it('an upload job stopped by its time limit while writing says how far it got, and the same file again completes it', async () => {
    const stores = memoryStores();
    const file = fileOf(1_200);
    const stop = new AbortController();
    const putCustomers = stores.documents.putCustomers.bind(stores.documents);
    // The Lambda's remaining time runs out after the first batch (500) is written.
    stores.documents.putCustomers = async (docs) => {
      await putCustomers(docs);
      stop.abort(new Error('the function is about to time out'));
    };
    const first = await runImportJob(
      { store: stores },
      { importId: (await pendingJob(stores)).id, open: () => Readable.from([file]), signal: stop.signal },
    );
    expect(first).toMatchObject({
      outcome: 'finished',
      job: {
        status: 'failed',
        count: 1_200,
        written: 500,
        message: expect.stringMatching(
          /^the import stopped after 500 of 1200 validated documents were written/,
        ),
      },
    });
    stores.documents.putCustomers = putCustomers;
    const again = await runImportJob(
      { store: stores },
      { importId: (await pendingJob(stores)).id, open: () => Readable.from([file]) },
    );
    expect(again).toMatchObject({ job: { status: 'succeeded', count: 1_200, written: 1_200 } });
    expect(stores.documents.customers.size).toBe(1_200);
  });

  it('records its progress every 10,000 lines, so a client polling it can show it', {
    timeout: 60_000,
  }, async () => {
    const stores = memoryStores();
    const job = await pendingJob(stores);
    const seen: string[] = [];
    const update = stores.importJobs.updateImportJob.bind(stores.importJobs);
    stores.importJobs.updateImportJob = async (id, from, change) => {
      seen.push(`${change.status ?? '-'} ${change.count ?? '-'} ${change.written ?? '-'}`);
      return update(id, from, change);
    };
    const file = fileOf(25_000);
    await runImportJob({ store: stores }, { importId: job.id, open: () => Readable.from([file]) });
    expect(seen).toEqual([
      'validating - -',
      '- 10000 -',
      '- 20000 -',
      'writing 25000 -',
      '- - 10000',
      '- - 20000',
      'succeeded 25000 25000',
    ]);
  });
});
