// Every input edge fuzzed through its real path over DynamoDB Local (test/fuzz/): never a 5xx, a
// crash or an unhandled rejection, and a refused case writes nothing. `npm test` runs FUZZ_RUNS
// (default 60) cases per edge in seconds; `npm run test:fuzz` runs 10,000 per edge, prints
// `fuzz <edge>: N cases, 0 5xx, 0 writes` and writes its section of bench/RESULTS.md.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeResultsSection } from '../../../bench/results-file.js';
import { campaignsEdge } from '../../fuzz/edges/campaigns.js';
import { importsEdge } from '../../fuzz/edges/imports.js';
import { opsEdge } from '../../fuzz/edges/ops-api.js';
import { smsEdge } from '../../fuzz/edges/sms.js';
import { unsubscribeEdge } from '../../fuzz/edges/unsubscribe.js';
import { webhooksEdge } from '../../fuzz/edges/webhooks.js';
import { FUZZ_RUNS, FUZZ_SEED, fuzzEdge, resultsSection, type Tally, tallyLine } from '../../fuzz/harness.js';
import { createTestStore } from '../support/ddb.js';

const RESULTS = fileURLToPath(new URL('../../../bench/RESULTS.md', import.meta.url));
/** Generous: a case takes ~1–20 ms; the bound only stops a hung edge. */
const TIMEOUT = 60_000 + FUZZ_RUNS * 250;
const tallies: Tally[] = [];

afterAll(() => {
  for (const t of tallies)
    console.log(
      `${tallyLine(t)}  (refused ${t.refused}, accepted ${t.accepted}; ${[...t.statuses].map(([s, n]) => `${s}×${n}`).join(' ')})`,
    );
  if (process.env.FUZZ_RESULTS === '1' && tallies.length === 6)
    writeResultsSection(RESULTS, 'fuzz', resultsSection(tallies, FUZZ_RUNS, FUZZ_SEED));
});

async function expectClean(t: Tally): Promise<void> {
  tallies.push(t);
  expect(t.cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
  expect(t.fivexx).toBe(0);
  expect(t.refusedWrites).toBe(0);
  // The generators aim at refusals but not only: an edge that refuses everything proves less.
  expect(t.refused).toBeGreaterThan(0);
}

describe('fuzzing every input edge: a 4xx or a clear refusal, never a 5xx or a crash, and a refusal writes nothing', () => {
  it(
    'imports of customers, contracts and events, NDJSON and CSV, by request body and by file',
    async () => {
      const { store } = await createTestStore();
      const edge = await importsEdge(store);
      try {
        await expectClean(await fuzzEdge('imports', edge.cases, edge.check));
      } finally {
        edge.dispose();
      }
    },
    TIMEOUT,
  );

  it(
    'campaign documents through campaign validate and apply (create and new version)',
    async () => {
      const { store } = await createTestStore();
      const edge = await campaignsEdge(store);
      await expectClean(await fuzzEdge('campaigns', edge.cases, edge.check));
    },
    TIMEOUT,
  );

  it(
    'the body of every POST and PUT /v1 route',
    async () => {
      const { store } = await createTestStore();
      const edge = await opsEdge(store);
      await expectClean(await fuzzEdge('ops-api', edge.cases, edge.check));
    },
    TIMEOUT,
  );

  it(
    'partner webhooks: headers and bodies, signed and unsigned',
    async () => {
      const edge = await webhooksEdge();
      await expectClean(await fuzzEdge('webhooks', edge.cases, edge.check));
    },
    TIMEOUT,
  );

  it(
    "inbound SMS: POST /v1/sms/replies and the inbound-sms handler's SNS event",
    async () => {
      const { store } = await createTestStore();
      const edge = await smsEdge(store);
      await expectClean(await fuzzEdge('inbound-sms', edge.cases, edge.check));
    },
    TIMEOUT,
  );

  it(
    'unsubscribe tokens: GET and POST /u/{token}',
    async () => {
      const { store } = await createTestStore();
      const edge = await unsubscribeEdge(store);
      await expectClean(await fuzzEdge('unsubscribe', edge.cases, edge.check));
    },
    TIMEOUT,
  );
});
