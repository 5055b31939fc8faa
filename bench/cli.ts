// Bench: the CLI's command latency as a user sees it (a new `touchpoint` process each time, wall time
// from spawn to exit), cold (nothing running for the data dir: `touchpoint stop` before each) vs warm
// (the background stack up), for `deliveries --json` and `plan --date`, on a temp data dir holding
// the demo data. Stops what it started and removes the data dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeResultsSection } from './results-file.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/touchpoint.mjs');
const EXAMPLES = join(ROOT, 'examples');
export const PLAN_DATE = '2026-11-26';

export class CliBenchError extends Error {
  override readonly name = 'CliBenchError';
}

export interface Latency {
  /** Median wall time in ms. */
  median: number;
  runs: number[];
}

export interface CliBenchResult {
  cold: { deliveries: Latency; plan: Latency };
  warm: { deliveries: Latency; plan: Latency };
}

/** Runs one CLI command; resolves with its wall time in ms, or throws with its output on failure. */
function timed(args: readonly string[], dataDir: string): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', fail);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) done(ms);
      else fail(new CliBenchError(`touchpoint ${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function measure(times: number, run: () => Promise<number>): Promise<Latency> {
  const runs: number[] = [];
  // One after another: overlapping commands would measure the machine's 2 cores, not the CLI.
  for (let i = 0; i < times; i++) runs.push(await run());
  return { median: median(runs), runs };
}

export async function benchCli(opts: { warmRuns?: number; coldRuns?: number } = {}): Promise<CliBenchResult> {
  const warmRuns = opts.warmRuns ?? 10;
  const coldRuns = opts.coldRuns ?? 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-cli-'));
  const deliveries = ['deliveries', '--json'];
  const plan = ['plan', '--date', PLAN_DATE, '--json'];
  try {
    await timed(['settings', 'apply', join(EXAMPLES, 'settings.json')], dataDir);
    for (const kind of ['customers', 'contracts', 'events'])
      await timed(['import', kind, join(EXAMPLES, `${kind}.ndjson`)], dataDir);
    for (const file of readdirSync(join(EXAMPLES, 'campaigns')).sort())
      await timed(['campaign', 'apply', join(EXAMPLES, 'campaigns', file)], dataDir);
    // A ledger worth listing: the worked example's day.
    await timed(['run', '--date', PLAN_DATE, '--json'], dataDir);

    const cold = async (args: readonly string[]) => {
      await timed(['stop'], dataDir);
      return timed(args, dataDir);
    };
    const coldResult = { deliveries: await measure(coldRuns, () => cold(deliveries)) };
    const coldPlan = await measure(coldRuns, () => cold(plan));
    // The first warm command may still be JIT-compiling the stack's code paths: not counted.
    await timed(deliveries, dataDir);
    await timed(plan, dataDir);
    const warm = {
      deliveries: await measure(warmRuns, () => timed(deliveries, dataDir)),
      plan: await measure(warmRuns, () => timed(plan, dataDir)),
    };
    return { cold: { ...coldResult, plan: coldPlan }, warm };
  } finally {
    await timed(['stop'], dataDir).catch((error: unknown) => {
      console.error(`bench: touchpoint stop failed: ${String(error)}`);
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export function cliTable(r: CliBenchResult): string {
  const rows = [
    ['command', 'cold: nothing running (median)', 'warm: stack up (median)', 'target (warm)'],
    [
      '`deliveries --json`',
      `${seconds(r.cold.deliveries.median)} (${r.cold.deliveries.runs.length} runs)`,
      `${seconds(r.warm.deliveries.median)} (${r.warm.deliveries.runs.length} runs)`,
      '≤ 1.00 s',
    ],
    [
      `\`plan --date ${PLAN_DATE}\``,
      `${seconds(r.cold.plan.median)} (${r.cold.plan.runs.length} runs)`,
      `${seconds(r.warm.plan.median)} (${r.warm.plan.runs.length} runs)`,
      '≤ 1.50 s',
    ],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((v, c) => v.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [
    line(rows[0] ?? []),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** Replaces (or appends) this bench's section of bench/RESULTS.md, leaving the others alone. */
export function writeCliSection(r: CliBenchResult, resultsPath: string): void {
  const body = `## CLI latency (\`npx tsx bench/cli.ts\`, also in \`npm run bench\`)

Wall time of a new \`touchpoint\` process from spawn to exit, one at a time, on a temp data dir with
the demo data (\`examples/\`) and the ledger of a run for ${PLAN_DATE}. Cold: \`touchpoint stop\`
before each command, so it starts the background stack (DynamoDB Local's JVM included). Warm: the
stack is up and the command attaches to it. Before the warm stack every command started and stopped its own
JVM: 3.4–5.6 s each. Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}; the load
average during the run was ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} (the targets are for an idle machine).

${cliTable(r)}`;
  writeResultsSection(resultsPath, 'cli', body);
}

export async function benchCliSection(resultsPath: string): Promise<void> {
  console.error('CLI latency, cold vs warm…');
  const result = await benchCli();
  console.log(cliTable(result));
  writeCliSection(result, resultsPath);
}

// `tsx bench/cli.ts` runs this bench alone (and prints every run's time).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchCli();
  console.log(cliTable(result));
  console.log(JSON.stringify(result));
}
