// npm run bench: starts DynamoDB Local (in memory), runs the three benchmarks side by side in one
// process, prints a table with the ratios and writes bench/RESULTS.md. Stops what it started.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../local/assembly-tables.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { LOCAL_AWS, PROJECT_ROOT } from '../local/runtime.js';
import { loadTemplate } from '../local/synth.js';
import { Table } from '../shared/store/table.js';
import { BATCH_SIZE } from '../shared/usecases/run/plan-run.js';
import { benchTable } from './bench-table.js';
import { benchBundles } from './bundles.js';
import { benchCliSection } from './cli.js';
import { benchDayIndex } from './day-index.js';
import { benchDispatchSection } from './dispatch.js';
import { ImportBenchUsageError, importBenchArgs, importBenchMain } from './import.js';
import { benchLedger } from './ledger.js';
import { PlanPhasesUsageError, planPhasesMain, planPhasesTouches } from './plan-phases.js';
import { benchReport, writeReportSection } from './report.js';
import { RunScaleUsageError, runScaleMain, runScaleOptions } from './run-scale.js';
import { SelectionUsageError, selectionCustomers, selectionMain } from './selection.js';
import { benchTransitions } from './transitions.js';

const CUSTOMERS = 20_000;
const DUE = 50;
const RUNS = 20;
const LEDGER_TOUCHES = 200;
const TOUCHES = 1_000;

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
  const ddb = await startDynamoDbLocal({});
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  try {
    const { client, tableName, store } = await benchTable(base, template, 'bench');

    console.error(`loading ${CUSTOMERS} customers…`);
    const day = await benchDayIndex(store, client, CUSTOMERS, DUE);
    console.error(`${RUNS} concurrent runs over ${LEDGER_TOUCHES} touches…`);
    const ledger = await benchLedger(store, client, RUNS, LEDGER_TOUCHES);
    console.error(`state transitions for ${TOUCHES} touches…`);
    const sfn = await benchTransitions(template, TOUCHES, BATCH_SIZE);

    const rows = [
      ['1. one due day, 20,000 customers', 'profile day index', 'Scan + filter', ''],
      [
        '   read capacity (RCU)',
        fmt(day.indexRcu),
        fmt(day.scanRcu),
        `${fmt(day.scanRcu / day.indexRcu)}x fewer`,
      ],
      [
        '   wall time (ms, info only)',
        fmt(day.indexMs, 0),
        fmt(day.scanMs, 0),
        `${fmt(day.scanMs / day.indexMs)}x`,
      ],
      [`2. ${RUNS} runs x ${LEDGER_TOUCHES} same touches`, 'conditional reserve', 'read-then-write', ''],
      ['   duplicate sends', String(ledger.conditional.duplicates), String(ledger.naive.duplicates), ''],
      ['   write capacity (WCU)', fmt(ledger.conditional.wcu), fmt(ledger.naive.wcu), ''],
      ['   read capacity (RCU)', fmt(ledger.conditional.rcu), fmt(ledger.naive.rcu), ''],
      [
        `3. state transitions, ${TOUCHES} touches`,
        `batches of ${BATCH_SIZE} (${sfn.batched.items} items)`,
        `one item per touch`,
        '',
      ],
      [
        '   transitions per run',
        String(sfn.batched.transitions),
        String(sfn.perTouch.transitions),
        `${fmt(sfn.perTouch.transitions / sfn.batched.transitions)}x fewer`,
      ],
    ];
    const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join(' | ')} |`;
    const table = [
      line(rows[0] ?? []),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...rows.slice(1).map(line),
    ].join('\n');
    console.log(table);

    const md = `# Benchmark results

Command: \`npm run bench\` (tsx bench/index.ts): DynamoDB Local in memory, the table and the state
machine from the synthesized template, everything measured side by side in one run.
Capacity units come from DynamoDB's ConsumedCapacity (DynamoDB Local reports what DynamoDB would
charge); wall times are of this machine and for information only. Run on ${new Date().toISOString().slice(0, 10)}.

${table}

- **1.** ${DUE} customers born on one day among ${CUSTOMERS}: the sharded birthday index, whose
  entries carry the profiles (${8} shard queries, no BatchGet), vs. a Scan of the table with a filter.
  The index cost grows with the due customers; the Scan's with the table.
- **2.** ${RUNS} runs at once each try to take the same ${LEDGER_TOUCHES} touches. Conditional
  PutItem: ${ledger.conditional.wins} wins = one per touch, ${ledger.conditional.duplicates} duplicates
  (DynamoDB Local reports 0 for a refused conditional write; DynamoDB bills it 1 WCU, so on AWS add
  ${ledger.runs * ledger.touches - ledger.conditional.wins} WCU for the refusals: still no duplicate, and no read). Read-then-write:
  ${ledger.naive.wins} "wins" for ${LEDGER_TOUCHES} touches = ${ledger.naive.duplicates} messages that would go out twice or more.
- **3.** Transitions counted from the execution's event log (StateEntered + StateRetried) of the
  real ASL with stub tasks: per Map item our run costs a Wait and a SendBatch, so batching 50
  touches per item divides the per-touch orchestration cost by ~50.
`;
    writeFileSync(new URL('./RESULTS.md', import.meta.url), md);
    console.error('wrote bench/RESULTS.md');
    await benchBundles(fileURLToPath(new URL('./RESULTS.md', import.meta.url)));
    await benchCliSection(fileURLToPath(new URL('./RESULTS.md', import.meta.url)));
    console.error('results report vs ledger scan, 10,000 … 1,000,000 ledger rows…');
    const ledgerTables = await ensureTables(base, template, { tableNamePrefix: `benchreport${Date.now()}-` });
    const ledgerTable = [...ledgerTables.values()][0];
    if (!ledgerTable) throw new Error('the synthesized template has no table');
    console.log(
      writeReportSection(
        fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
        await benchReport(store, client, ledgerTable),
      ),
    );
    await benchDispatchSection(
      new Table(client, tableName),
      fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
    );
  } finally {
    base.destroy();
    await ddb.stop();
  }
}

const args = process.argv.slice(2);
const run = args[0] === 'selection' ? () => selectionMain(selectionCustomers(args.slice(1))) : () => main();
const runImport = () => importBenchMain(importBenchArgs(args.slice(1)));
const runScale = () => runScaleMain(runScaleOptions(args.slice(1)));
const runPlan = () => planPhasesMain(planPhasesTouches(args.slice(1)));
const modes: Record<string, () => Promise<void>> = { import: runImport, run: runScale, plan: runPlan };
(modes[args[0] ?? ''] ?? run)().catch((e: unknown) => {
  const usage =
    e instanceof SelectionUsageError ||
    e instanceof ImportBenchUsageError ||
    e instanceof RunScaleUsageError ||
    e instanceof PlanPhasesUsageError;
  console.error(usage ? e.message : e);
  process.exitCode = usage ? 2 : 1;
});
