// npm run test:faults [-- --customers N --seed S]: the long fault drive (test/faults/drive.ts) over
// its own DynamoDB Local (in memory), local SES server and SMS sink. Prints each execution, the
// injected faults, every unknown touch with how it reconciled, and ends with the line
// `faults: N touches, D duplicates, L lost, U unknown`. Exits 1 unless D = 0, L = 0 and every
// unknown touch reconciled. Writes its section of bench/RESULTS.md. Not a timed test.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeResultsSection } from '../../bench/results-file.js';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { PROJECT_ROOT } from '../../local/runtime.js';
import { startSesLocal } from '../../local/ses-local.js';
import { startSmsSink } from '../../local/sms-sink.js';
import { loadTemplate } from '../../local/synth.js';
import { driveFaults, type FaultReport, faultLine, faultsPass } from './drive.js';

const RESULTS = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));

function resultsBody(r: FaultReport, customers: number, seconds: number, seed: number): string {
  const atProvider = r.unknown.filter((u) => u.atProvider).length;
  return [
    '## Faults (`npm run test:faults`)',
    '',
    `${customers} customers born on one day (every fifth also by SMS), one scheduled firing, seed ${seed},`,
    `${Math.round(seconds)} s wall time (information only). Two executions of the firing overlapped; the first`,
    'was stopped mid-way and redriven (same firing, same run id); then the faults healed, the leases ran out,',
    "each unknown touch was reconciled from the providers' records and the day was rerun.",
    '',
    '| fault | injected |',
    '| --- | --- |',
    ...Object.entries(r.injected).map(([k, n]) => `| ${k} | ${n} |`),
    `| crash between reserve and send | ${r.crashes.before} |`,
    `| crash between send and settle | ${r.crashes.after} |`,
    '',
    `Provider calls: ${r.providerCalls}. Executions: ${r.executions.join('; ')}.`,
    `The stopped run was \`${r.runStatus.stopped}\` before its redrive, \`${r.runStatus.redriven}\` after it.`,
    '',
    `Unknown touches: ${r.unknown.length} (${atProvider} the provider had: left held, never resent;`,
    `${r.unknown.length - atProvider} it had not: released, sent once by the rerun); ${r.unknown.filter((u) => !u.ok).length} not reconciled.`,
    '',
    '```',
    faultLine(r),
    '```',
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '8334' },
      seed: { type: 'string', default: '14' },
      rate: { type: 'string', default: '400' },
    },
  });
  const customers = Number(values.customers);
  const seed = Number(values.seed);
  const rate = Number(values.rate);
  if (![customers, seed, rate].every((n) => Number.isInteger(n) && n > 0)) {
    console.error('usage: npm run test:faults -- [--customers N] [--seed S] [--rate PER_SECOND]');
    return 2;
  }
  const { template } = await loadTemplate({ projectRoot: PROJECT_ROOT });
  const ddb = await startDynamoDbLocal({});
  const ses = await startSesLocal({ maxSendRate: rate });
  const sink = await startSmsSink();
  const started = performance.now();
  try {
    const report = await driveFaults({
      template,
      ddbEndpoint: ddb.endpoint,
      sesEndpoint: ses.endpoint,
      smsEndpoint: sink.endpoint,
      customers,
      prefix: 'fault',
      seed,
      ratePerSecond: rate,
      latencyMs: { min: 5, max: 25 },
      plan: {
        rates: { throttle: 0.03, 'error-before': 0.002, 'error-after': 0.002, 'timeout-after': 0.002 },
        bursts: [
          { kind: 'throttle', from: 500, count: 40 },
          { kind: 'error-before', from: 1_500, count: 10 },
          { kind: 'error-after', from: 2_500, count: 10 },
          { kind: 'timeout-after', from: 3_500, count: 5 },
        ],
        ddbThrottleRate: 0.01,
        ddbThrottleFromCall: 1,
        crashBefore: [],
        crashAfter: [],
        crashRate: 0.001,
        stopAfterCalls: Math.floor(customers * 0.4),
      },
      log: (line) => console.error(line),
    });
    const seconds = (performance.now() - started) / 1000;
    for (const [k, n] of Object.entries(report.injected)) console.log(`injected ${k}: ${n}`);
    console.log(
      `crashes: ${report.crashes.before} between reserve and send, ${report.crashes.after} between send and settle`,
    );
    console.log(
      `stopped run: ${report.runStatus.stopped} before the redrive, ${report.runStatus.redriven} after`,
    );
    for (const u of report.unknown)
      console.log(`unknown ${u.key}: ${u.reconciled}${u.ok ? '' : ' — NOT RECONCILED'}`);
    writeResultsSection(RESULTS, 'faults', resultsBody(report, customers, seconds, seed));
    console.log(faultLine(report));
    return faultsPass(report) ? 0 : 1;
  } finally {
    await sink.stop();
    await ses.stop();
    await ddb.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
