// Presigned upload URLs and the object keys the importer accepts.
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/import-upload.js';
import {
  importObjectKey,
  parseImportObjectKey,
  S3ImportUploads,
} from '../../../shared/usecases/imports/s3-uploads.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';

const client = new S3Client({
  region: 'eu-central-1',
  credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' },
});
const job = { id: '01JD0000000000000000000000', kind: 'customers', format: 'ndjson' } as const;

describe('S3ImportUploads', () => {
  it('presigns a PUT of imports/<id>/<kind>.<format> for the given lifetime', async () => {
    const url = new URL(
      await new S3ImportUploads({ client, bucket: 'imports-bucket' }).uploadUrl({
        job,
        expiresInSeconds: 900,
      }),
    );
    expect(url.hostname).toBe('imports-bucket.s3.eu-central-1.amazonaws.com');
    expect(url.pathname).toBe(`/imports/${job.id}/customers.ndjson`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('X-Amz-Credential')).toContain('/s3/aws4_request');
  });
});

describe('import object keys', () => {
  it('round-trips a job through its key', () => {
    expect(parseImportObjectKey(importObjectKey(job))).toEqual({
      importId: job.id,
      kind: 'customers',
      format: 'ndjson',
    });
  });

  it.each([
    'imports/01JD0000000000000000000000/customers.json',
    'imports/01JD0000000000000000000000/settings.ndjson',
    'other/01JD0000000000000000000000/customers.ndjson',
    'imports/../customers.ndjson',
    'imports/01jd0000000000000000000000/customers.ndjson',
  ])('refuses %s', (key) => {
    expect(parseImportObjectKey(key)).toBeUndefined();
  });

  it('the importer skips objects that are not imports without touching the store', async () => {
    const calls: string[] = [];
    const handler = createHandler({
      store: {
        ...memoryStores(),
        documents: {
          putCustomers: async () => void calls.push('put'),
          putContracts: async () => void calls.push('put'),
          putEvents: async () => [],
          existingCustomerIds: async () => new Set(),
        },
        importJobs: {
          createImportJob: async () => void calls.push('create'),
          getImportJob: async () => {
            calls.push('get');
            return undefined;
          },
          updateImportJob: async () => true,
        },
      },
      s3: client,
      log: { error: () => {} },
    });
    const out = await handler({
      Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'notes/readme.txt' } } }],
    });
    expect(out).toEqual([{ key: 'notes/readme.txt', outcome: 'not-an-import' }]);
    expect(calls).toEqual([]);
  });
});
