// Bench: the results report's cost against the ledger's size. Ours reads the aggregate counter rows
// of the campaign (days × steps × channels × tiers × locales, here 30 × 3 × 1 × 2 × 2 = 360 rows)
// whatever the ledger holds; the naive report scans the ledger and counts. Ledgers of 10,000 and
// 50,000 rows (a second campaign's 40,000 added) are written for real and scanned; the 1,000,000-row case is generated as counters
// directly (the same 360 rows, counts 100× larger: what the writers would have ADDed) and the naive
// scan's cost there is extrapolated from the measured per-row cost, stated as such.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { CounterIncrement, CounterQuery, ResultCounters } from '../shared/ports/results.js';
import type { DynamoStores } from '../shared/store/stores.js';
import { Table } from '../shared/store/table.js';
import { buildReport } from '../shared/usecases/results/report.js';
import { writeResultsSection } from './results-file.js';

const DAYS = 30;
const STEPS = ['d-30', 'd-14', 'd-3'];
const TIERS = ['standard', 'premium'];
const LOCALES = ['en-US', 'zh-CN'];
const REAL_LEDGERS = [10_000, 40_000];
const GENERATED_LEDGER = 1_000_000;

export interface ReportBenchRow {
  ledgerRows: number;
  counterRows: number;
  oursRcu: number;
  oursMs: number;
  naiveRcu: number;
  naiveMs: number;
  naiveMeasured: boolean;
}

const dayOf = (i: number) => new Date(Date.UTC(2026, 10, 1 + (i % DAYS))).toISOString().slice(0, 10);

/** The counters a ledger of `rows` touches spread evenly over the dimensions would have added. */
function counters(campaignId: string, rows: number): CounterIncrement[] {
  const cells = DAYS * STEPS.length * TIERS.length * LOCALES.length;
  const per = Math.max(1, Math.floor(rows / cells));
  const out: CounterIncrement[] = [];
  for (let d = 0; d < DAYS; d++)
    for (const stepId of STEPS)
      for (const tier of TIERS)
        for (const locale of LOCALES)
          out.push({
            campaignId,
            day: dayOf(d),
            stepId,
            channel: 'email',
            tier,
            locale,
            counts: {
              planned: per,
              sent: per,
              delivered: per,
              'treated.customers': per,
              'treated.conversions': Math.floor(per / 5),
              'holdout.customers': Math.floor(per / 10),
              'holdout.conversions': Math.floor(per / 50),
            },
          });
  return out;
}

/** Ledger-like rows: what a naive report would have to read. */
async function writeLedger(table: Table, campaignId: string, rows: number): Promise<void> {
  const items = Array.from({ length: rows }, (_, i) => ({
    pk: `CUSTOMER#n-${i}`,
    sk: `TOUCH#${campaignId}#${STEPS[i % STEPS.length]}#email#2026`,
    campaignId,
    stepId: STEPS[i % STEPS.length],
    channel: 'email',
    tier: TIERS[i % TIERS.length],
    locale: LOCALES[i % LOCALES.length],
    dueDate: dayOf(i),
    status: 'sent',
    delivery: 'delivered',
    sentAt: `${dayOf(i)}T09:00:00.000Z`,
  }));
  for (let i = 0; i < items.length; i += 2_000) await table.batchPut(items.slice(i, i + 2_000));
}

async function naiveReport(client: DynamoDBDocumentClient, tableName: string, campaignId: string) {
  let rcu = 0;
  let sent = 0;
  let start: Record<string, unknown> | undefined;
  const t = performance.now();
  do {
    const out: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(sk, :touch) AND campaignId = :c',
        ExpressionAttributeValues: { ':touch': 'TOUCH#', ':c': campaignId },
        ReturnConsumedCapacity: 'TOTAL',
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    rcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
    sent += (out.Items ?? []).filter((i) => i.status === 'sent').length;
    start = out.LastEvaluatedKey;
  } while (start);
  return { rcu, ms: performance.now() - t, sent };
}

/** Counts the rows the report reads through the port (the items behind its RCU). */
function counting(results: ResultCounters): ResultCounters & { rows: number } {
  const wrapped = {
    rows: 0,
    add: (inc: readonly CounterIncrement[]) => results.add(inc),
    read: async (q: CounterQuery) => {
      const rows = await results.read(q);
      wrapped.rows += rows.length;
      return rows;
    },
  };
  return wrapped;
}

async function ours(store: DynamoStores, campaignId: string) {
  const results = counting(store.results);
  store.resetCapacity();
  const t = performance.now();
  const report = await buildReport(
    { results, campaigns: store.campaigns, settings: store.settings },
    { campaignId },
  );
  const ms = performance.now() - t;
  return { rcu: store.capacity.read, ms, rows: results.rows, sent: report.campaigns[0]?.funnel.sent ?? 0 };
}

/** `ledger` is a fresh table of the synthesized template's shape (nothing else in it). */
export async function benchReport(
  store: DynamoStores,
  client: DynamoDBDocumentClient,
  ledgerTableName: string,
): Promise<ReportBenchRow[]> {
  const ledger = new Table(client, ledgerTableName);
  const out: ReportBenchRow[] = [];
  let written = 0;
  let perRowRcu = 0;
  let perRowMs = 0;
  for (const rows of REAL_LEDGERS) {
    const campaignId = `report-${rows}`;
    await store.results.add(counters(campaignId, rows));
    // The ledger table grows: each size adds its own campaign's rows beside the earlier ones.
    await writeLedger(ledger, campaignId, rows);
    written += rows;
    const naive = await naiveReport(client, ledgerTableName, campaignId);
    if (naive.sent !== rows) throw new Error(`naive report counted ${naive.sent} of ${rows}`);
    perRowRcu = naive.rcu / written;
    perRowMs = naive.ms / written;
    const o = await ours(store, campaignId);
    out.push({
      ledgerRows: written,
      counterRows: o.rows,
      oursRcu: o.rcu,
      oursMs: o.ms,
      naiveRcu: naive.rcu,
      naiveMs: naive.ms,
      naiveMeasured: true,
    });
  }
  const campaignId = `report-${GENERATED_LEDGER}`;
  await store.results.add(counters(campaignId, GENERATED_LEDGER));
  const o = await ours(store, campaignId);
  out.push({
    ledgerRows: GENERATED_LEDGER,
    counterRows: o.rows,
    oursRcu: o.rcu,
    oursMs: o.ms,
    naiveRcu: perRowRcu * GENERATED_LEDGER,
    naiveMs: perRowMs * GENERATED_LEDGER,
    naiveMeasured: false,
  });
  return out;
}

export function writeReportSection(resultsPath: string, rows: readonly ReportBenchRow[]): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  const lines = rows.map(
    (r) =>
      `| ${r.ledgerRows.toLocaleString('en-US')} | ${r.counterRows} | ${f(r.oursRcu)} | ${f(r.oursMs, 0)} | ${f(r.naiveRcu)}${r.naiveMeasured ? '' : ' (extrapolated)'} | ${f(r.naiveMs, 0)}${r.naiveMeasured ? '' : ' (extrapolated)'} |`,
  );
  const table = [
    '| ledger rows | counter rows read (ours) | RCU (ours) | ms (ours, info) | RCU (ledger scan) | ms (ledger scan, info) |',
    '|-------------|--------------------------|------------|-----------------|-------------------|------------------------|',
    ...lines,
  ].join('\n');
  writeResultsSection(
    resultsPath,
    'report',
    `## Results report: cost flat in the ledger's size

\`touchpoint report\` / \`GET /v1/reports/campaigns\` for one campaign of ${DAYS} days × ${STEPS.length} steps × 1 channel ×
${TIERS.length} tiers × ${LOCALES.length} locales reads its aggregate counter rows (one Query); the naive report Scans the
ledger and counts. Ledgers of 10,000 and then 50,000 rows (a second campaign's 40,000 added) are written and
scanned for real; the 1,000,000-row case is generated as counters directly (the same rows,
larger counts) and the scan's cost there is the measured per-row cost × 1,000,000. RCU from DynamoDB's
ConsumedCapacity (strongly consistent reads, as the report makes); run on ${new Date().toISOString().slice(0, 10)}.

${table}`,
  );
  return table;
}

/** `tsx bench/report.ts` runs this bench alone on its own DynamoDB Local and rewrites its section. */
async function standalone(): Promise<void> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { startDynamoDbLocal } = await import('../local/dynamodb-local.js');
  const { LOCAL_AWS, PROJECT_ROOT } = await import('../local/runtime.js');
  const { loadTemplate } = await import('../local/synth.js');
  const { benchTable, createBenchTable } = await import('./bench-table.js');
  const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
  const ddb = await startDynamoDbLocal({});
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  try {
    const { client, store } = await benchTable(base, template, 'benchcounters');
    const rows = await benchReport(store, client, await createBenchTable(base, template, 'benchreport'));
    console.log(writeReportSection(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), rows));
  } finally {
    base.destroy();
    await ddb.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await standalone();
