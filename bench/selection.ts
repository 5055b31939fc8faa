// npm run bench -- selection --customers N: N customers in DynamoDB Local (in memory), a birthday's
// worth of them due on one day (N / 366, as in a real population), and the read capacity of our
// selection for that day (the sharded birthday index, whose entries carry the profiles) against a
// Scan with a filter, side by side in one run. Prints
// `selection N customers: Scan X RCU, day index Y RCU, ratio Z×`, keeps the figures of every N in
// bench/selection.json, and rewrites bench/RESULTS.md's sections and the plot bench/selection.svg
// from them. Stops what it started.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { LOCAL_AWS, PROJECT_ROOT } from '../local/runtime.js';
import { loadTemplate } from '../local/synth.js';
import { attr, DAY_SHARDS, index } from '../shared/store/keys.js';
import type { DynamoStores } from '../shared/store/stores.js';
import { mapLimit } from '../shared/store/table.js';
import { benchTable } from './bench-table.js';
import { MONTH_DAY, populationCustomer, scanForDay } from './day-index.js';
import { logLogSvg } from './plot.js';
import { writeResultsSection } from './results-file.js';

export class SelectionUsageError extends Error {
  constructor() {
    super('usage: npm run bench -- selection --customers N   (N from 366 to 10,000,000)');
    this.name = 'SelectionUsageError';
  }
}

/** `--customers N` from the arguments after `selection`. */
export function selectionCustomers(args: readonly string[]): number {
  const i = args.indexOf('--customers');
  const n = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  if (!Number.isInteger(n) || n < 366 || n > 10_000_000) throw new SelectionUsageError();
  return n;
}

/** Customers per putCustomers call, and calls in flight (each writes 25-item batches, 4 at a time). */
const LOAD_CHUNK = 1_000;
const LOAD_PARALLEL = 4;
/**
 * The Scan runs as a parallel Scan: the same bytes, so the same RCU (each segment's last page rounds
 * up once: under 0.1 % with ≥ 25,000 items a segment). DynamoDB Local's page time grows with the
 * rows after it (measured on 60,000 items: 27.6 s sequential, 9.5 s in 4 segments, 4.1 s in 16), so
 * one sequential Scan of 1,000,000 would take hours there.
 */
const scanSegments = (customers: number) => Math.min(64, Math.max(1, Math.round(customers / 25_000)));
const PROGRESS_EVERY_MS = 10_000;

const pointSchema = z.object({
  customers: z.number(),
  due: z.number(),
  scanRcu: z.number(),
  indexRcu: z.number(),
  shardRcu: z.array(z.number()),
  batchGetRcu: z.number(),
  indexMs: z.number(),
  scanMs: z.number(),
  loadS: z.number(),
  date: z.string(),
});
type Point = z.infer<typeof pointSchema>;
const pointsSchema = z.record(z.string(), pointSchema);

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const POINTS = fileURLToPath(new URL('./selection.json', import.meta.url));
const PLOT = fileURLToPath(new URL('./selection.svg', import.meta.url));

function readPoints(): Record<string, Point> {
  try {
    return pointsSchema.parse(JSON.parse(readFileSync(POINTS, 'utf8')));
  } catch {
    return {};
  }
}

async function load(store: DynamoStores, customers: number, due: number): Promise<void> {
  const chunks = Math.ceil(customers / LOAD_CHUNK);
  const started = performance.now();
  let done = 0;
  let shown = started;
  await mapLimit(
    Array.from({ length: chunks }, (_, c) => c),
    LOAD_PARALLEL,
    async (c) => {
      const from = c * LOAD_CHUNK;
      const to = Math.min(customers, from + LOAD_CHUNK);
      const batch = Array.from({ length: to - from }, (_, k) => populationCustomer(from + k, customers, due));
      await store.documents.putCustomers(batch);
      done += batch.length;
      const now = performance.now();
      if (now - shown >= PROGRESS_EVERY_MS) {
        shown = now;
        const rate = done / ((now - started) / 1000);
        const eta = Math.round((customers - done) / rate);
        console.error(
          `  loaded ${done.toLocaleString('en-US')} of ${customers.toLocaleString('en-US')} (${rate.toFixed(0)}/s, ETA ${eta} s)`,
        );
      }
    },
  );
}

/** Each shard's Query on its own: what the day costs shard by shard (each bills at least 0.5 RCU on AWS). */
async function shardCosts(client: DynamoDBDocumentClient, tableName: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: DAY_SHARDS }, async (_, s) => {
      let rcu = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.byBirthdayProfile,
            KeyConditionExpression: '#k = :k',
            ExpressionAttributeNames: { '#k': attr.birthdayDay },
            ExpressionAttributeValues: { ':k': `${MONTH_DAY}#${s}` },
            ReturnConsumedCapacity: 'TOTAL',
            ExclusiveStartKey: start,
          }),
        );
        rcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      // DynamoDB Local reports 0 for an empty Query; AWS bills it 0.5.
      return Math.max(rcu, 0.5);
    }),
  );
}

async function measure(customers: number): Promise<Point> {
  const due = Math.max(1, Math.round(customers / 366));
  const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
  const ddb = await startDynamoDbLocal({});
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  try {
    const { client, tableName, store } = await benchTable(base, template, 'selection');
    const started = performance.now();
    console.error(`loading ${customers.toLocaleString('en-US')} customers (${due} due on the measured day)…`);
    await load(store, customers, due);
    const loadS = (performance.now() - started) / 1000;

    // Ours: what planning reads for the day, the profiles through the sharded index.
    store.resetCapacity();
    let t = performance.now();
    const found = await store.due.profilesBornOn(MONTH_DAY);
    const indexMs = performance.now() - t;
    const indexRcu = store.capacity.read;
    if (found.length !== due) throw new Error(`index found ${found.length}, expected ${due}`);
    const shardRcu = await shardCosts(client, tableName);

    // Before: the ids from a KEYS_ONLY index, then a BatchGet of the profiles (per item, 4 KB each).
    store.resetCapacity();
    await store.due.getCustomers(found.map((c) => c.id));
    const batchGetRcu = store.capacity.read;

    console.error('scanning…');
    t = performance.now();
    const scan = await scanForDay(client, tableName, scanSegments(customers));
    const scanMs = performance.now() - t;
    if (scan.matches !== due) throw new Error(`scan found ${scan.matches}, expected ${due}`);
    return {
      customers,
      due,
      scanRcu: scan.rcu,
      indexRcu,
      shardRcu,
      batchGetRcu,
      indexMs,
      scanMs,
      loadS,
      date: new Date().toISOString().slice(0, 10),
    };
  } finally {
    base.destroy();
    await ddb.stop();
  }
}

const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
/** What AWS bills for the day's 8 shard queries: Local's figures, with an empty Query at AWS's 0.5. */
const billedIndexRcu = (p: Point) => p.shardRcu.reduce((a, b) => a + b, 0);
/** The selection before the profile indexes: 8 KEYS_ONLY shard queries at their 0.5 RCU floor, then the BatchGet. */
const beforeRcu = (p: Point) => DAY_SHARDS * 0.5 + p.batchGetRcu;

export function selectionLine(p: Point): string {
  const ours = billedIndexRcu(p);
  return `selection ${p.customers} customers: Scan ${p.scanRcu.toFixed(1)} RCU, day index ${ours.toFixed(1)} RCU, ratio ${(p.scanRcu / ours).toFixed(0)}×`;
}

function section(p: Point): string {
  return `### Selection at ${n(p.customers)} customers (\`npm run bench -- selection --customers ${p.customers}\`, ${p.date})

${selectionLine(p)}. ${n(p.due)} customers due (born on the measured day). The day's ${DAY_SHARDS} shard
queries cost ${p.shardRcu.map((r) => r.toFixed(1)).join(', ')} RCU (each rounded up to 4 KB, at least 0.5;
the planner's read of the day measured ${p.indexRcu.toFixed(1)} RCU in one go).
Before the profile indexes (KEYS_ONLY ids, then a BatchGet at 4 KB a profile) the same day cost
${n(beforeRcu(p), 1)} RCU (${(p.scanRcu / beforeRcu(p)).toFixed(0)}×). Wall time ${p.indexMs.toFixed(0)} ms (index) vs
${n(p.scanMs)} ms (${scanSegments(p.customers) === 1 ? 'one sequential Scan' : `a Scan in ${scanSegments(p.customers)} parallel segments`}), information only; loading took ${n(p.loadS)} s
(${n(p.customers / p.loadS)} customers/s).`;
}

function curves(points: readonly Point[]): string {
  const rows = [...points].sort((a, b) => a.customers - b.customers);
  const table = [
    '| customers | due | Scan RCU | day index RCU (ours) | ratio | before: KEYS_ONLY + BatchGet RCU | ratio before |',
    '|-----------|-----|----------|----------------------|-------|----------------------------------|--------------|',
    ...rows.map(
      (p) =>
        `| ${n(p.customers)} | ${n(p.due)} | ${n(p.scanRcu, 1)} | ${n(billedIndexRcu(p), 1)} | ${(p.scanRcu / billedIndexRcu(p)).toFixed(0)}× | ${n(beforeRcu(p), 1)} | ${(p.scanRcu / beforeRcu(p)).toFixed(0)}× |`,
    ),
  ].join('\n');
  return `## Selection at scale: one due day against a Scan (\`npm run bench -- selection --customers N\`)

A birthday's worth of customers (N / 366) due on the measured day; RCU from DynamoDB Local's
ConsumedCapacity (eventually consistent reads on both sides: a GSI Query cannot be strongly
consistent). Ours reads the day's profiles through the sharded birthday index, whose entries carry
the profile document (INCLUDE \`doc\`, docs/table-design.md); "before" is the KEYS_ONLY index and a
BatchGet, which DynamoDB bills 4 KB per profile. Each N is its own run (sections below).

${table}

![RCU of one due day: Scan vs day index, log-log](selection.svg)

The Scan grows with the table, ours with the due customers, so the ratio tends to the table's bytes
over the due profiles' index bytes: 366× if an entry were as large as its table item, more since the
table also holds each customer's consent history and the entries leave out \`activity\` and \`rev\`.
Below it at small N: the ${DAY_SHARDS} shard queries of a day each bill at least 0.5 RCU and round their bytes
up to 4 KB, a fixed ${DAY_SHARDS * 0.5} RCU floor that ${n(rows[0]?.due ?? 0)} due profiles do not fill, and a rounding
that still costs about a fifth at 100,000 (8 shards of ~6.5 KB, each billed 8 KB). The target at
100,000 was ≥ 300×.`;
}

function plot(points: readonly Point[]): string {
  const rows = [...points].sort((a, b) => a.customers - b.customers);
  return logLogSvg({
    title: 'One due day: read capacity vs customers in the table',
    xLabel: 'customers',
    yLabel: 'RCU',
    series: [
      {
        name: 'Scan + filter',
        color: '#c0392b',
        points: rows.map((p) => ({ x: p.customers, y: p.scanRcu })),
      },
      {
        name: 'KEYS_ONLY + BatchGet (before)',
        color: '#7f8c8d',
        points: rows.map((p) => ({ x: p.customers, y: beforeRcu(p) })),
      },
      {
        name: 'profile day index (ours)',
        color: '#2471a3',
        points: rows.map((p) => ({ x: p.customers, y: billedIndexRcu(p) })),
      },
    ],
  });
}

export async function selectionMain(customers: number): Promise<void> {
  const p = await measure(customers);
  console.log(selectionLine(p));
  const points = { ...readPoints(), [String(customers)]: p };
  writeFileSync(POINTS, `${JSON.stringify(points, null, 2)}\n`);
  writeFileSync(PLOT, plot(Object.values(points)));
  writeResultsSection(RESULTS, 'selection-curves', curves(Object.values(points)));
  writeResultsSection(RESULTS, `selection-${customers}`, section(p));
  console.error('wrote bench/RESULTS.md, bench/selection.json, bench/selection.svg');
}
