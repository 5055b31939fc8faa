// npm run bench -- selection --customers N: N customers in DynamoDB Local (in memory), a birthday's
// worth of them due on one day (N / 366, as in a real population), and the read capacity of our
// selection for that day (the sharded day index + BatchGet) against a Scan with a filter, side by
// side in one run. Prints `selection N customers: Scan X RCU, day index Y RCU, ratio Z×` and keeps
// the figures in bench/RESULTS.md (one section per N). Stops what it started.
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../local/assembly-tables.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { LOCAL_AWS, PROJECT_ROOT } from '../local/runtime.js';
import { loadTemplate } from '../local/synth.js';
import { dynamoStores } from '../shared/store/stores.js';
import { benchDayIndex } from './day-index.js';
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

export async function selectionMain(customers: number): Promise<void> {
  const due = Math.max(1, Math.round(customers / 366));
  const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
  const ddb = await startDynamoDbLocal({});
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  try {
    const tables = await ensureTables(base, template, { tableNamePrefix: `selection${Date.now()}-` });
    const tableName = [...tables.values()][0];
    if (!tableName) throw new Error('the synthesized template has no table');
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    const store = dynamoStores({ client, tableName });
    const started = performance.now();
    console.error(`loading ${customers} customers (${due} due on the measured day)…`);
    const r = await benchDayIndex(store, client, customers, due);
    const loadS = (performance.now() - started - r.indexMs - r.scanMs) / 1000;
    const ratio = r.scanRcu / r.indexRcu;
    const line = `selection ${customers} customers: Scan ${r.scanRcu.toFixed(1)} RCU, day index ${r.indexRcu.toFixed(1)} RCU, ratio ${ratio.toFixed(0)}×`;
    console.log(line);
    writeResultsSection(
      fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
      `selection-${customers}`,
      `### Selection at ${customers.toLocaleString('en-US')} customers (\`npm run bench -- selection --customers ${customers}\`, ${new Date().toISOString().slice(0, 10)})

${line}. ${due} customers due (born on the measured day); wall time ${r.indexMs.toFixed(0)} ms
(index) vs ${r.scanMs.toFixed(0)} ms (Scan), information only; loading took ${loadS.toFixed(0)} s.`,
    );
  } finally {
    base.destroy();
    await ddb.stop();
  }
}
