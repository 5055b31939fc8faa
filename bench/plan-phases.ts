// npm run bench -- plan --touches N: where PlanRun's time goes for a run of N due touches, phase by
// phase, against DynamoDB Local in memory: planning the day (reads), the run's batches with a run
// reference per customer, and the exposure units. The same use-case functions PlanRun calls, in its
// order, each timed; the bench writes the section `plan-phases` of bench/RESULTS.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { LOCAL_AWS } from '../local/runtime.js';
import { synthTemplate } from '../local/synth.js';
import { defaultSettings } from '../shared/domain/documents.js';
import { mapLimit } from '../shared/store/table.js';
import { exposureUnit, recordExposureUnits, unitOpeners } from '../shared/usecases/results/attribute.js';
import { batchesOf, carryHeldForReview, planRunTouches } from '../shared/usecases/run/plan-run.js';
import { benchTable } from './bench-table.js';
import { writeResultsSection } from './results-file.js';
import { birthday, DATE, seedDueCustomers } from './run-scale.js';

export class PlanPhasesUsageError extends Error {}

export function planPhasesTouches(args: readonly string[]): number {
  const n = Number(args[1]);
  if (args.length !== 2 || args[0] !== '--touches' || !Number.isInteger(n) || n <= 0)
    throw new PlanPhasesUsageError('usage: npm run bench -- plan --touches N');
  return n;
}

const fmt = (n: number) => n.toLocaleString('en-US');
/** Batches in flight in the measured run: 2 children × sendConcurrency 30. */
const IN_FLIGHT = 60;

export async function planPhasesMain(touches: number): Promise<void> {
  const outdir = mkdtempSync(join(tmpdir(), 'tp-plan-phases-'));
  const { template } = await synthTemplate({ outdir });
  const ddb = await startDynamoDbLocal({});
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  try {
    const { store } = await benchTable(base, template, 'plan');
    await store.settings.putSettings(defaultSettings());
    await store.campaigns.putCampaign(birthday);
    await seedDueCustomers(store, touches);

    const phases: [string, number][] = [];
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const start = Date.now();
      const out = await work();
      phases.push([name, Date.now() - start]);
      console.error(`  ${name}: ${fmt(Date.now() - start)} ms`);
      return out;
    };
    const run = { runId: 'plan-phases', date: DATE };
    const touchesPlanned = await timed('plan the day (profiles, ledger, suppression reads)', async () =>
      carryHeldForReview(store.ledger, await planRunTouches(store, run)),
    );
    const planned = touchesPlanned.filter((t) => t.status === 'planned');
    const batches = batchesOf(run.runId, planned);
    await timed(`${fmt(batches.length)} batches and ${fmt(planned.length)} run references`, () =>
      store.runs.putRunBatches(batches),
    );
    // PlanRun records the units its suppressed and held-out touches open; a planned touch's unit is
    // recorded by its batch's SendBatch (plan-run.ts). Timed here both ways, side by side.
    const openers = [...unitOpeners(touchesPlanned)];
    const now = new Date().toISOString();
    const byPlanRun = openers.filter((t) => t.status !== 'planned');
    await timed(`${fmt(byPlanRun.length)} exposure units of suppressed and held-out touches`, () =>
      recordExposureUnits(
        store,
        byPlanRun.map((t) => exposureUnit(t, now)),
      ),
    );
    const bySendBatch = openers.filter((t) => t.status === 'planned');
    // One at a time, as SendBatch writes them beside each touch, 60 batches in flight.
    const sendTime = Date.now();
    await mapLimit(bySendBatch, IN_FLIGHT, (t) => recordExposureUnits(store, [exposureUnit(t, now)]));
    const sendMs = Date.now() - sendTime;
    console.error(`  treated units, one a touch as SendBatch writes them: ${fmt(sendMs)} ms`);
    const total = phases.reduce((n, [, ms]) => n + ms, 0);
    const rows = phases.map(
      ([name, ms]) => `| ${name} | ${fmt(Math.round(ms / 1000))} s | ${Math.round((ms / total) * 100)} % |`,
    );
    const body = `## PlanRun's phases at ${fmt(touches)} touches (\`npm run bench -- plan --touches ${touches}\`)

DynamoDB Local in memory, the same use-case functions PlanRun calls, in its order. PlanRun has 15
minutes (Lambda's longest); DynamoDB Local applies writes on about one core.

| phase | time | share |
| --- | --- | --- |
${rows.join('\n')}
| total | ${fmt(Math.round(total / 1000))} s | |

The ${fmt(bySendBatch.length)} units planned touches open are not PlanRun's: each batch's SendBatch
writes each beside its touch's reserve (one conditional Put, ${fmt(Math.round(sendMs / 1000))} s in all here, ${IN_FLIGHT} at a
time), spread over a sending that at 35 messages/s lasts ${fmt(Math.round(touches / 35 / 60))} minutes.`;
    console.log(body);
    writeResultsSection(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), 'plan-phases', body);
  } finally {
    base.destroy();
    await ddb.stop();
    rmSync(outdir, { recursive: true, force: true });
  }
}
