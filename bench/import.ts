// npm run bench -- import --lines N [--in-memory]: generates an N-line customers file (NDJSON, every
// field a real export carries) and imports it through the use case the CLI runs for a file of that
// size (`touchpoint import customers FILE` uploads it, and the local API runs runImportJob over it)
// into a disk-backed DynamoDB Local started as the CLI starts it. Prints how long each pass took,
// the rate in customers a second and what the JVM used, and keeps the figures in bench/RESULTS.md.
// Stops what it started and removes its files.

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { LOCAL_AWS, LOCAL_BULK_WRITES, PROJECT_ROOT } from '../local/runtime.js';
import { loadTemplate } from '../local/synth.js';
import { runImportJob } from '../shared/usecases/imports/run-import.js';
import { benchTable } from './bench-table.js';
import { writeResultsSection } from './results-file.js';

export class ImportBenchUsageError extends Error {
  constructor() {
    super(
      'usage: npm run bench -- import --lines N [--in-memory] [--batch-writes]   (N from 1,000 to 10,000,000)',
    );
    this.name = 'ImportBenchUsageError';
  }
}

export interface ImportBenchArgs {
  lines: number;
  inMemory: boolean;
  /** BatchWriteItem (the cloud's bulk writes) instead of the embedded stack's TransactWriteItems. */
  batchWrites: boolean;
}

/** `--lines N [--in-memory]` from the arguments after `import`. */
export function importBenchArgs(args: readonly string[]): ImportBenchArgs {
  const i = args.indexOf('--lines');
  const n = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  if (!Number.isInteger(n) || n < 1_000 || n > 10_000_000) throw new ImportBenchUsageError();
  return { lines: n, inMemory: args.includes('--in-memory'), batchWrites: args.includes('--batch-writes') };
}

const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Shanghai', 'UTC', 'Asia/Kolkata'];
const LOCALES = ['de-DE', 'en-US', 'zh-CN', 'en-GB', 'en-IN'];

/** The i-th generated customer: a line like a CRM export's, about 330 bytes. */
export function benchCustomer(i: number): Record<string, unknown> {
  const id = `imp-${String(i).padStart(8, '0')}`;
  const day = new Date(Date.UTC(1970 + (i % 40), 0, 1 + (i % 365))).toISOString().slice(0, 10);
  return {
    id,
    name: `Customer ${i}`,
    email: `${id}@example.com`,
    phone: `+1415${String(5_550_000 + (i % 1_000_000)).padStart(7, '0')}`,
    locale: LOCALES[i % LOCALES.length],
    timeZone: ZONES[i % ZONES.length],
    birthday: day,
    monthlyValue: (i * 37) % 900,
    consent: { email: i % 10 !== 0, sms: i % 3 === 0 },
    lastActivityAt: new Date(Date.UTC(2026, 0, 1) + (i % 300) * 86_400_000).toISOString(),
    attributes: { segment: i % 2 === 0 ? 'retail' : 'business', city: 'Springfield' },
  };
}

async function writeCustomers(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  let buffer = '';
  for (let i = 0; i < lines; i++) {
    buffer += `${JSON.stringify(benchCustomer(i))}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** CPU seconds of a process group's leader (utime + stime from /proc), or undefined off Linux. */
async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface ImportBenchResult {
  lines: number;
  bytes: number;
  validateS: number;
  writeS: number;
  totalS: number;
  rate: number;
  jvmCpuS: number | undefined;
  nodeCpuS: number;
  wcu: number;
  rcu: number;
}

export async function importBench(args: ImportBenchArgs): Promise<ImportBenchResult> {
  const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
  const dir = await mkdtemp(join(tmpdir(), 'touchpoint-import-bench-'));
  const ddb = await startDynamoDbLocal(args.inMemory ? {} : { dataDir: join(dir, 'dynamodb') }).catch(
    async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    },
  );
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  try {
    const file = join(dir, 'customers.ndjson');
    console.error(`generating ${args.lines.toLocaleString('en')} customers…`);
    await writeCustomers(file, args.lines);
    const bytes = (await stat(file)).size;
    const bulkWrites = args.batchWrites ? 'batch' : LOCAL_BULK_WRITES;
    const { store } = await benchTable(base, template, undefined, bulkWrites);
    const now = new Date();
    const job = {
      id: ulid(),
      kind: 'customers' as const,
      format: 'ndjson' as const,
      status: 'pending' as const,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      uploadExpiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    };
    await store.importJobs.createImportJob(job);
    store.resetCapacity();
    const jvmBefore = await cpuSeconds(ddb.pid);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    let writeStarted = 0;
    let reads = 0;
    console.error(`importing ${(bytes / 2 ** 20).toFixed(1)} MB…`);
    const outcome = await runImportJob(
      { store, log: { error: (m, e) => console.error(m, e) } },
      {
        importId: job.id,
        open: () => {
          reads++;
          if (reads === 2) writeStarted = performance.now();
          return createReadStream(file);
        },
      },
    );
    const ended = performance.now();
    const jvmAfter = await cpuSeconds(ddb.pid);
    const node = process.cpuUsage(nodeBefore);
    if (outcome.outcome !== 'finished' || outcome.job.status !== 'succeeded')
      throw new Error(`the import did not succeed: ${JSON.stringify(outcome)}`);
    if (outcome.job.written !== args.lines)
      throw new Error(`wrote ${outcome.job.written} of ${args.lines} customers`);
    const totalS = (ended - started) / 1000;
    return {
      lines: args.lines,
      bytes,
      validateS: (writeStarted - started) / 1000,
      writeS: (ended - writeStarted) / 1000,
      totalS,
      rate: args.lines / totalS,
      jvmCpuS: jvmBefore !== undefined && jvmAfter !== undefined ? jvmAfter - jvmBefore : undefined,
      nodeCpuS: (node.user + node.system) / 1e6,
      wcu: store.capacity.write,
      rcu: store.capacity.read,
    };
  } finally {
    base.destroy();
    await ddb.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function importBenchMain(args: ImportBenchArgs): Promise<void> {
  const r = await importBench(args);
  const n = (v: number, d = 0) =>
    v.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
  const line = `import ${n(r.lines)} customers: ${n(r.rate)}/s (${n(r.totalS, 1)} s: validate ${n(r.validateS, 1)} s, write ${n(r.writeS, 1)} s)`;
  console.log(line);
  const cpu = `node ${n(r.nodeCpuS, 1)} CPU s, DynamoDB Local ${r.jvmCpuS === undefined ? '?' : n(r.jvmCpuS, 1)} CPU s`;
  console.log(`  ${cpu}; ${n(r.wcu)} WCU, ${n(r.rcu)} RCU`);
  const flags = `${args.inMemory ? ' --in-memory' : ''}${args.batchWrites ? ' --batch-writes' : ''}`;
  const writes = args.batchWrites
    ? 'BatchWriteItem (as in the cloud)'
    : "TransactWriteItems of 100 (the embedded stack's bulk writes)";
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  writeResultsSection(
    fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
    `import-${r.lines}${flags.replaceAll(' --', '-')}`,
    `### Import of ${n(r.lines)} customers (\`npm run bench -- import --lines ${r.lines}${flags}\`, ${new Date().toISOString().slice(0, 10)})

${line}; ${(r.bytes / 2 ** 20).toFixed(1)} MB of NDJSON into ${args.inMemory ? 'an in-memory' : 'a disk-backed'} DynamoDB Local,
through runImportJob (the CLI's path for a file over the inline body limit), bulk writes as ${writes}.
${cpu} on 2 cores (load average ${load} at the end: other jobs shared the machine); ${n(r.wcu)} WCU and
${n(r.rcu)} RCU reported (DynamoDB Local reports far less than an item's writes for TransactWriteItems: only the
BatchWriteItem figure is a cost; on AWS a transactional write bills twice). See docs/imports-at-scale.md.`,
  );
}
