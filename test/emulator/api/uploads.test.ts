// Large imports through an upload URL, locally: POST /v1/imports → PUT the file to the signed
// /local-uploads URL on a real HTTP server → poll GET /v1/imports/{id} to a deadline. The same
// runImportJob runs in the cloud's importer Lambda over the S3 object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ApiServer, startApiServer } from '../../../local/api-server.js';
import { LocalUploads } from '../../../local/uploads.js';
import type { ApiDeps } from '../../../shared/api/deps.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';

const TOKEN = 'uploads-token';
let now = new Date('2026-11-26T08:00:00Z');
const clock = { now: () => now };
let store: DynamoStores;
let server: ApiServer;
let uploads: LocalUploads;
let dataDir: string;

const created = z.object({
  importId: z.string(),
  uploadUrl: z.string().url(),
  method: z.literal('PUT'),
  expiresAt: z.string(),
});
const jobView = z.object({
  importId: z.string(),
  status: z.enum(['pending', 'validating', 'writing', 'succeeded', 'failed']),
  count: z.number().optional(),
  written: z.number().optional(),
  errorCount: z.number().optional(),
  errors: z.array(z.object({ line: z.number(), path: z.string(), message: z.string() })).optional(),
});
const problem = z.object({ type: z.string(), status: z.number(), title: z.string() });

const customerLine = (i: number) =>
  JSON.stringify({
    id: `up-${i}`,
    name: `Customer ${i}`,
    email: `up-${i}@example.com`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: i % 200,
    consent: { email: true, sms: false },
  });

beforeAll(async () => {
  ({ store } = await createTestStore({ clock }));
  dataDir = mkdtempSync(join(tmpdir(), 'tp-uploads-'));
  uploads = new LocalUploads({ dataDir, store, clock });
  const deps: ApiDeps = {
    store,
    email: { send: async () => ({ ok: true, providerMessageId: 'e' }) },
    sms: { send: async () => ({ ok: true, providerMessageId: 's' }) },
    events: { publish: async () => {} },
    clock,
    runs: { start: async () => ({ executionId: 'x' }), status: async () => undefined },
    uploads,
    log: { info: () => {}, error: () => {} },
    config: {
      opsToken: TOKEN,
      secretRolloverMs: 86_400_000,
      maxBodyBytes: 64 * 1024,
      unsubscribeSecret: 'unsub-secret-123',
      pseudonymKey: 'pseudonym-key-123',
    },
  };
  server = await startApiServer({ deps, port: 0 });
});

afterAll(async () => {
  await server?.stop();
  await uploads?.idle();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function createJob(body: unknown) {
  const res = await fetch(`${server.url}/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return created.parse(await res.json());
}

async function awaitJob(importId: string, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const res = await fetch(`${server.url}/v1/imports/${importId}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const job = jobView.parse(await res.json());
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${job.status} at the deadline`);
    await uploads.idle(); // waits on the import itself instead of a timer
  }
}

describe('imports through an upload URL (local)', () => {
  it('imports a 50,000-line NDJSON upload, all of it', { timeout: 240_000 }, async () => {
    const job = await createJob({ kind: 'customers' });
    expect(new URL(job.uploadUrl).pathname).toBe(`/local-uploads/${job.importId}`);
    const lines = Array.from({ length: 50_000 }, (_, i) => customerLine(i + 1));
    const put = await fetch(job.uploadUrl, { method: 'PUT', body: `${lines.join('\n')}\n` });
    expect(put.status).toBe(200);
    const done = await awaitJob(job.importId, 200_000);
    expect(done).toMatchObject({ status: 'succeeded', count: 50_000, written: 50_000 });
    const sample = ['up-1', 'up-25000', 'up-50000', 'up-50001'];
    expect([...(await store.documents.existingCustomerIds(sample))].sort()).toEqual([
      'up-1',
      'up-25000',
      'up-50000',
    ]);
    // One upload per job: the same URL again is refused.
    const again = await fetch(job.uploadUrl, { method: 'PUT', body: customerLine(1) });
    expect(again.status).toBe(409);
  });

  it('fails an upload with bad lines with their line numbers, and stores nothing', async () => {
    const job = await createJob({ kind: 'customers', format: 'ndjson' });
    const body = [
      customerLine(900_001),
      '{not json',
      '',
      JSON.stringify({ id: 'bad-2', name: 'x' }),
      customerLine(900_002),
    ].join('\n');
    expect((await fetch(job.uploadUrl, { method: 'PUT', body })).status).toBe(200);
    const done = await awaitJob(job.importId, 60_000);
    expect(done.status).toBe('failed');
    expect(done.errorCount).toBeGreaterThanOrEqual(2);
    expect(done.errors?.map((e) => e.line)).toContain(2);
    expect(done.errors?.map((e) => e.line)).toContain(4);
    expect((await store.documents.existingCustomerIds(['up-900001', 'up-900002'])).size).toBe(0);
  });

  it('refuses a forged or expired upload URL with a 403 problem', async () => {
    const job = await createJob({ kind: 'contracts', format: 'csv' });
    const forged = new URL(job.uploadUrl);
    forged.searchParams.set('signature', `${forged.searchParams.get('signature')?.slice(0, -2)}AA`);
    const res = await fetch(forged, { method: 'PUT', body: 'id\n' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(problem.parse(await res.json()).status).toBe(403);

    const later = new URL(job.uploadUrl);
    later.searchParams.set('expires', String(Number(later.searchParams.get('expires')) + 3600));
    expect((await fetch(later, { method: 'PUT', body: 'id\n' })).status).toBe(403);

    now = new Date(now.getTime() + 16 * 60_000); // past the 15-minute URL lifetime
    try {
      const expired = await fetch(job.uploadUrl, { method: 'PUT', body: 'id\n' });
      expect(expired.status).toBe(403);
    } finally {
      now = new Date('2026-11-26T08:00:00Z');
    }
    const status = await fetch(`${server.url}/v1/imports/${job.importId}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(jobView.parse(await status.json()).status).toBe('pending');
  });

  it('refuses CSV events and unknown jobs, and needs the bearer token', async () => {
    const csvEvents = await fetch(`${server.url}/v1/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'events', format: 'csv' }),
    });
    expect(csvEvents.status).toBe(400);
    const unknown = await fetch(`${server.url}/v1/imports/01ARZ3NDEKTSV4RRFFQ69G5FAV`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(unknown.status).toBe(404);
    const noToken = await fetch(`${server.url}/v1/imports`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
  });
});
