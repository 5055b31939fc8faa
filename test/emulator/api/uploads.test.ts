// Large imports through an upload URL, locally: POST /v1/imports → PUT the file to the signed
// /local-uploads URL on a real HTTP server → poll GET /v1/imports/{id} to a deadline. The same
// runImportJob runs in the cloud's importer Lambda over the S3 object.
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ApiServer, startApiServer } from '../../../local/api-server.js';
import { LocalUploads } from '../../../local/uploads.js';
import type { ApiDeps } from '../../../shared/api/deps.js';
import type { ImportJob } from '../../../shared/ports/import-jobs.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { cli, json } from '../cli/cli.js';
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

const customerLine = (i: number, prefix = 'up', name = `Customer ${i}`) =>
  JSON.stringify({
    id: `${prefix}-${i}`,
    name,
    email: `${prefix}-${i}@example.com`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: i % 200,
    consent: { email: true, sms: false },
  });

/** The attack's file: 301 customers, line 251 with a 500 KB name. */
const line251File = (prefix: string) =>
  `${Array.from({ length: 301 }, (_, i) => customerLine(i + 1, prefix, i + 1 === 251 ? 'N'.repeat(500_000) : `Customer ${i + 1}`)).join('\n')}\n`;

const idsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

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
  // 20,000 lines (about 3 MB, some 50 times the 64 KB inline body limit) prove the upload path; the rate
  // at 100,000 lines is measured by `npm run bench -- import`, not here.
  it('imports a 20,000-line NDJSON upload, all of it', { timeout: 240_000 }, async () => {
    const job = await createJob({ kind: 'customers' });
    expect(new URL(job.uploadUrl).pathname).toBe(`/local-uploads/${job.importId}`);
    const lines = Array.from({ length: 20_000 }, (_, i) => customerLine(i + 1));
    const put = await fetch(job.uploadUrl, { method: 'PUT', body: `${lines.join('\n')}\n` });
    expect(put.status).toBe(200);
    const done = await awaitJob(job.importId, 200_000);
    expect(done).toMatchObject({ status: 'succeeded', count: 20_000, written: 20_000 });
    const sample = ['up-1', 'up-10000', 'up-20000', 'up-20001'];
    expect([...(await store.documents.existingCustomerIds(sample))].sort()).toEqual([
      'up-1',
      'up-10000',
      'up-20000',
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

  it('a 301-line upload whose line 251 has a 500 KB name fails at line 251 and stores no customer', async () => {
    const job = await createJob({ kind: 'customers' });
    expect((await fetch(job.uploadUrl, { method: 'PUT', body: line251File('l251') })).status).toBe(200);
    const done = await awaitJob(job.importId, 60_000);
    expect(done).toMatchObject({ status: 'failed', count: 300, errorCount: 1 });
    expect(done.errors?.map((e) => [e.line, e.path])).toEqual([[251, '']]);
    expect((await store.documents.existingCustomerIds(idsOf('l251', 301))).size).toBe(0);
  });

  it('the CLI refuses a 301-line file whose line 251 has a 500 KB name: exit 1, line 251 named, no customer stored', async () => {
    const file = join(dataDir, 'line-251.ndjson');
    writeFileSync(file, line251File('cli251'));
    const result = await cli(['import', 'customers', file, '--json', '--api', server.url, '--token', TOKEN], {
      dataDir: join(dataDir, 'cli'),
    });
    expect(result.code).toBe(1);
    const refusal = z
      .object({ ok: z.literal(false), errors: z.array(z.object({ line: z.number(), path: z.string() })) })
      .parse(json(result));
    expect(refusal.errors.map((e) => e.line)).toEqual([251]);
    // A large file goes through the upload: the CLI says what it is doing on stderr.
    expect(result.stderr).toMatch(/uploaded .*validating/s);
    expect((await store.documents.existingCustomerIds(idsOf('cli251', 301))).size).toBe(0);
  });

  it('an import whose line 2 nests 20,000 levels is refused by line 2, inline and by the CLI, never a 500 or a stack overflow', async () => {
    // 40 KB: under this server's 64 KB body limit.
    const deep = `{"id":"deep-2","customerId":"deep-1","type":"t","occurredAt":"2026-11-01T00:00:00Z","data":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const ok = `{"id":"deep-1","customerId":"deep-1","type":"t","occurredAt":"2026-11-01T00:00:00Z"}`;
    await store.documents.putCustomers([
      {
        id: 'deep-1',
        name: 'Deep',
        locale: 'en-US',
        timeZone: 'UTC',
        monthlyValue: 1,
        consent: { email: false, sms: false },
      },
    ]);
    const res = await fetch(`${server.url}/v1/events:import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
      body: `${ok}\n${deep}\n`,
    });
    expect(res.status).toBe(422);
    const body = z
      .object({ errors: z.array(z.object({ line: z.number(), path: z.string(), message: z.string() })) })
      .parse(await res.json());
    expect([...new Set(body.errors.map((e) => e.line))]).toEqual([2]);

    const file = join(dataDir, 'deep.ndjson');
    writeFileSync(file, `${ok}\n${deep}\n`);
    const result = await cli(['import', 'events', file, '--json', '--api', server.url, '--token', TOKEN], {
      dataDir: join(dataDir, 'cli'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('Maximum call stack size exceeded');
    const refusal = z.object({ errors: z.array(z.object({ line: z.number() })) }).parse(json(result));
    expect([...new Set(refusal.errors.map((e) => e.line))]).toEqual([2]);
    expect(await store.due.eventsOn('t', '2026-11-01')).toEqual([]);
  });

  it('the CLI sends a small CSV file as the records it checked, in one read: a bad record by its line, a good file whole', async () => {
    const header = 'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms';
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, `${header}\ncsv-1,A,en-US,UTC,10,1,0\n\ncsv-2,B,en-US,UTC,-1,1,0\n`);
    const refused = await cli(['import', 'customers', bad, '--json', '--api', server.url, '--token', TOKEN], {
      dataDir: join(dataDir, 'cli'),
    });
    expect(refused.code).toBe(1);
    const refusal = z.object({
      errors: z.array(z.object({ line: z.number(), path: z.string(), message: z.string() })),
    });
    expect(refusal.parse(json(refused)).errors).toEqual([
      { line: 4, path: 'monthlyValue', message: 'must be ≥ 0' },
    ]);
    const good = join(dataDir, 'good.csv');
    writeFileSync(good, `${header}\ncsv-1,A,en-US,UTC,10,1,0\ncsv-2,B,en-US,UTC,20,1,0\n`);
    const imported = await cli(
      ['import', 'customers', good, '--json', '--api', server.url, '--token', TOKEN],
      {
        dataDir: join(dataDir, 'cli'),
      },
    );
    expect(json(imported)).toEqual({ ok: true, kind: 'customers', count: 2, written: 2 });
  });

  it('two PUTs of the same file to one upload URL at once: both answered 200, and the job runs once and succeeds', async () => {
    const job = await createJob({ kind: 'customers' });
    const body = `${idsOf('twice', 5_000)
      .map((_, i) => customerLine(i + 1, 'twice'))
      .join('\n')}\n`;
    const puts = await Promise.all([
      fetch(job.uploadUrl, { method: 'PUT', body }),
      fetch(job.uploadUrl, { method: 'PUT', body }),
    ]);
    expect(puts.map((r) => r.status)).toEqual([200, 200]);
    const done = await awaitJob(job.importId, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', count: 5_000, written: 5_000 });
    expect((await store.documents.existingCustomerIds(idsOf('twice', 5_000))).size).toBe(5_000);
    // Once the job has run, the same bytes are still answered 200 and start nothing.
    expect((await fetch(job.uploadUrl, { method: 'PUT', body })).status).toBe(200);
  });

  it('two PUTs of different files to one upload URL at once: one is refused, and the job stores exactly the other', async () => {
    const job = await createJob({ kind: 'customers' });
    const a = `${idsOf('fa', 3_000)
      .map((_, i) => customerLine(i + 1, 'fa'))
      .join('\n')}\n`;
    const b = `${idsOf('fb', 2_000)
      .map((_, i) => customerLine(i + 1, 'fb'))
      .join('\n')}\n`;
    const [pa, pb] = await Promise.all([
      fetch(job.uploadUrl, { method: 'PUT', body: a }),
      fetch(job.uploadUrl, { method: 'PUT', body: b }),
    ]);
    expect([pa.status, pb.status].sort()).toEqual([200, 409]);
    const [won, lost, count] = pa.status === 200 ? ['fa', 'fb', 3_000] : ['fb', 'fa', 2_000];
    const done = await awaitJob(job.importId, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', count, written: count });
    expect((await store.documents.existingCustomerIds(idsOf(won, count))).size).toBe(count);
    expect((await store.documents.existingCustomerIds(idsOf(lost, 3_000))).size).toBe(0);
  });

  it('removes an upload a killed process left behind (over a day old) when the next process receives one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-uploads-left-'));
    try {
      mkdirSync(join(dir, 'uploads'));
      const left = join(dir, 'uploads', '01JD0000000000000000000000.3f2a.part');
      const young = join(dir, 'uploads', '01JD0000000000000000000001');
      writeFileSync(left, customerLine(1));
      writeFileSync(young, customerLine(2));
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      utimesSync(left, twoDaysAgo, twoDaysAgo);
      const next = new LocalUploads({ dataDir: dir, store, clock });
      const job: ImportJob = {
        id: '01JD00000000000000000000ZZ',
        kind: 'customers',
        format: 'ndjson',
        status: 'pending',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        uploadExpiresAt: new Date(now.getTime() + 900_000).toISOString(),
      };
      await store.importJobs.createImportJob(job);
      const url = new URL(
        await next.uploadUrl({
          job,
          expiresAt: new Date(now.getTime() + 900_000),
          origin: 'http://127.0.0.1',
        }),
      );
      const outcome = await next.receive({
        importId: job.id,
        expires: url.searchParams.get('expires') ?? undefined,
        signature: url.searchParams.get('signature') ?? undefined,
        body: new Blob([customerLine(3, 'left')]).stream(),
      });
      expect(outcome).toBe('accepted');
      await next.idle();
      expect(existsSync(left)).toBe(false);
      expect(existsSync(young)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    expect(noToken.status).toBe(403);
  });
});
