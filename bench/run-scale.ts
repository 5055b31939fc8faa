// npm run bench -- run --touches N [--rate R] [--latency MS]: one run of N due touches through the
// synthesized state machine (its Distributed Map over send chunks, run locally by
// aws-local-stepfunctions), the real handlers, DynamoDB Local in memory, and the local SES server
// behind the fault proxy's injected latency (local/provider-faults.ts). Every send books its time on
// the shared rate schedule (shared/channels/rate-budget.ts), as send-batch does in the cloud. Prints
// and writes to bench/RESULTS.md: wall time, exactly-once counts (ledger rows vs provider calls vs
// requests the SES server took), the dispatch rate against the configured one and its busiest
// second, the state transitions, the cloud history events per execution (modelled from the
// runner's event log) and the Step Functions cost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Deps } from '../functions/commons/deps.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startFaultProxy } from '../local/provider-faults.js';
import '../local/polyfills.js';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { stateMachineFromTemplate } from '../local/assembly-asl.js';
import type { CfnTemplate } from '../local/assembly-tables.js';
import { type ExecutionEvent, executeRun } from '../local/run-executor.js';
import { LOCAL_AWS, LOCAL_SENDER } from '../local/runtime.js';
import { startSesLocal } from '../local/ses-local.js';
import { synthTemplate } from '../local/synth.js';
import { SharedRateBudget } from '../shared/channels/rate-budget.js';
import { SesEmailSender } from '../shared/channels/ses-email.js';
import { throttled } from '../shared/channels/throttle.js';
import { windowGuarded } from '../shared/channels/window-guard.js';
import { type Campaign, type Customer, campaignSchema, defaultSettings } from '../shared/domain/documents.js';
import type { EmailSender, SmsSender } from '../shared/ports/channels.js';
import { systemClock } from '../shared/ports/clock.js';
import { RateScheduleRows } from '../shared/store/rate-budget.js';
import type { DynamoStores } from '../shared/store/stores.js';
import { Table } from '../shared/store/table.js';
import { BATCH_SIZE, CHUNK_BATCHES, sendChunksOf } from '../shared/usecases/run/plan-run.js';
import { benchTable } from './bench-table.js';
import { writeResultsSection } from './results-file.js';

export class RunScaleUsageError extends Error {}

export interface RunScaleOptions {
  touches: number;
  /** The configured email rate (SES MaxSendRate), per second. */
  rate: number;
  /** Injected before every SendEmail. */
  latencyMs: number;
  /** Batches in flight per chunk (the stack's sendConcurrency setting, 1 … 40). */
  sendConcurrency: number;
}

export function runScaleOptions(args: readonly string[]): RunScaleOptions {
  const value = (flag: string, fallback: number): number => {
    const i = args.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(args[i + 1]);
    if (!Number.isInteger(n) || n <= 0) throw new RunScaleUsageError(`${flag} needs a positive whole number`);
    return n;
  };
  const known = new Set(['--touches', '--rate', '--latency', '--concurrency']);
  for (let i = 0; i < args.length; i += 2)
    if (!known.has(args[i] ?? ''))
      throw new RunScaleUsageError(
        'usage: npm run bench -- run --touches N [--rate PER_SECOND] [--latency MS] [--concurrency 1..40]',
      );
  return {
    touches: value('--touches', 100_000),
    rate: value('--rate', 300),
    latencyMs: value('--latency', 20),
    sendConcurrency: Math.min(40, value('--concurrency', 40)),
  };
}

export const DATE = '2027-03-09';
const MONTH_DAY = DATE.slice(5);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const noSms: SmsSender = {
  send: async () => ({ ok: false, retryable: false, error: 'no SMS in this bench' }),
};

/** One email touch each: standard tier, UTC, born on the run's day. */
export const customersFrom = (from: number, to: number): Customer[] =>
  Array.from({ length: to - from }, (_, k) => {
    const id = `rs-${String(from + k).padStart(7, '0')}`;
    return {
      id,
      name: `Customer ${id}`,
      email: `${id}@example.com`,
      locale: 'en-US',
      timeZone: 'UTC',
      monthlyValue: 50,
      birthday: `1990-${MONTH_DAY}`,
      consent: { email: true, sms: true },
    };
  });

export const birthday: Campaign = campaignSchema.parse({
  id: 'bench-birthday',
  name: 'Birthday greetings',
  priority: 10,
  anchor: { type: 'birthday' },
  steps: [
    {
      id: 'day',
      offsetDays: 0,
      channels: { key: ['email'], business: ['email'], standard: ['email'] },
      template: 'hb',
    },
  ],
  exit: ['optedOut'],
  // The whole day: the run is measured, not the window.
  sendWindow: { start: '00:00', end: '23:59' },
  holdoutPercent: 0,
  fallbackLocale: 'en-US',
  templates: {
    hb: {
      email: {
        'en-US': { subject: 'Happy birthday!', text: 'Hi {{ customer.name }}. {{ unsubscribeUrl }}' },
      },
    },
  },
});

/** N customers due on DATE, 4 slices of 500 at a time; returns the milliseconds it took. */
export async function seedDueCustomers(store: DynamoStores, touches: number): Promise<number> {
  console.error(`seeding ${fmt(touches)} customers due on ${DATE}…`);
  const seedStart = Date.now();
  const SLICE = 500;
  const slices = Array.from({ length: Math.ceil(touches / SLICE) }, (_, i) => i * SLICE);
  for (let i = 0; i < slices.length; i += 4)
    await Promise.all(
      slices
        .slice(i, i + 4)
        .map((from) => store.documents.putCustomers(customersFrom(from, Math.min(touches, from + SLICE)))),
    );
  return Date.now() - seedStart;
}

/** Calls per second from first to last, and the most calls in any one second [t, t + 1 s). */
function dispatch(calls: number[]): { rate: number; peak: number; spanMs: number } {
  calls.sort((a, b) => a - b);
  const spanMs = (calls.at(-1) ?? 0) - (calls[0] ?? 0);
  let peak = 0;
  let j = 0;
  for (const [i, t] of calls.entries()) {
    while (j < calls.length && (calls[j] ?? Number.POSITIVE_INFINITY) < t + 1000) j++;
    peak = Math.max(peak, j - i);
  }
  return { rate: spanMs > 0 ? ((calls.length - 1) * 1000) / spanMs : 0, peak, spanMs };
}

/** A Standard execution's history events per state (entered … exited), as the cloud writes them. */
const HISTORY = { Task: 5, Wait: 2, Pass: 2, Map: 4, Succeed: 2, Fail: 1 } as const;
const HISTORY_PER_STATE: Record<string, number> = HISTORY;

interface HistoryModel {
  transitions: number;
  parentEvents: number;
  children: number;
  largestChildEvents: number;
  largestChildBatches: number;
}

/**
 * From the runner's event log: transitions = states entered + retries (what Standard bills), and
 * per execution the history events the cloud would write: ExecutionStarted/Succeeded, each state's
 * events, 2 per inline Map iteration, 3 per retry. The parent's Distributed Map writes
 * MapRunStarted/Succeeded instead of per-item events; each child is an execution of its own.
 */
function historyOf(events: readonly ExecutionEvent[]): HistoryModel {
  let transitions = 0;
  let parentEvents = 2;
  const child = new Map<number, { events: number; batches: number }>();
  for (const e of events) {
    if (e.type !== 'StateEntered' && e.type !== 'StateRetried') continue;
    transitions += 1;
    const cost = e.type === 'StateRetried' ? 3 : (HISTORY_PER_STATE[e.state.type] ?? 2);
    if (e.index === undefined) {
      parentEvents += cost;
      continue;
    }
    const c = child.get(e.index) ?? { events: 2, batches: 0 };
    c.events += cost;
    // Each inline iteration enters SendBatch once, and adds MapIterationStarted/Succeeded.
    if (e.type === 'StateEntered' && e.state.name === 'SendBatch') {
      c.batches += 1;
      c.events += 2;
    }
    child.set(e.index, c);
  }
  const largest = [...child.values()].sort((a, b) => b.events - a.events)[0] ?? { events: 0, batches: 0 };
  return {
    transitions,
    parentEvents,
    children: child.size,
    largestChildEvents: largest.events,
    largestChildBatches: largest.batches,
  };
}

/** The old definition (one inline Map over every batch in the parent): 9 events a batch, plus ~26. */
const inlineHistory = (batches: number) => 26 + 9 * batches;
const HISTORY_LIMIT = 25_000;
const PRICE_PER_TRANSITION = 0.025 / 1000;

const fmt = (n: number) => n.toLocaleString('en-US');

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/**
 * The orchestration alone at any size: the same definition with stub tasks (as bench/transitions.ts).
 * Every batch must reach SendBatch once. The runner's event log drops nested events that arrive after
 * the root execution ended, so at this size transitions and history are computed from the chunks
 * with the model historyOf applies (which matches the full log of the measured run above).
 */
async function orchestration(
  template: CfnTemplate,
  touches: number,
): Promise<HistoryModel & { planBytes: number; batchesSent: number }> {
  const { definition, taskStates, waitStates } = stateMachineFromTemplate(template);
  const sendAt = `${DATE}T09:00:00.000Z`;
  const batches = Math.ceil(touches / BATCH_SIZE);
  const chunks = sendChunksOf(Array.from({ length: batches }, () => ({ sendAt }))).map((c) => ({ ...c }));
  const plan = { runId: 'r', date: DATE, planned: touches, suppressed: 0, batchCount: batches, chunks };
  const sent = new Set<string>();
  let batchesSent = 0;
  const stub: LocalHandlers = {
    SelectRun: async () => ({ runId: 'r', date: DATE }),
    PlanRun: async () => plan,
    SendBatch: async (input) => {
      batchesSent += 1;
      sent.add(JSON.stringify(input));
      return { sent: BATCH_SIZE };
    },
    SummarizeRun: async () => ({ runId: 'r', date: DATE, summary: {} }),
    PublishRunCompleted: async () => ({ Entries: [{ EventId: 'local' }], FailedEntryCount: 0 }),
  };
  const handlers: LocalHandlers = Object.fromEntries(
    taskStates.map((t) => [t.stateName, stub[t.stateName] ?? (async () => ({}))]),
  );
  await new StateMachine(definition, { validationOptions: { checkArn: false } }).run(
    { date: DATE },
    {
      context: { Execution: { Name: 'r' } },
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: Object.fromEntries(waitStates.map((w) => [w, 0])),
      },
    },
  ).result;
  if (sent.size !== batches || batchesSent !== batches)
    throw new Error(
      `orchestration: ${batchesSent} SendBatch calls (${sent.size} distinct) for ${batches} batches`,
    );
  // Parent: 4 tasks + the Distributed Map; a child: Wait, Pass, inline Map, then SendBatch per batch.
  const sizes = chunks.map((c) => c.last - c.first + 1);
  const largest = Math.max(...sizes);
  return {
    transitions: 5 + sizes.reduce((n, b) => n + 3 + b, 0),
    parentEvents: 2 + 4 * HISTORY.Task + HISTORY.Map,
    children: chunks.length,
    largestChildEvents: 2 + HISTORY.Wait + HISTORY.Pass + HISTORY.Map + 7 * largest,
    largestChildBatches: largest,
    planBytes: JSON.stringify(plan).length,
    batchesSent,
  };
}

export async function runScaleMain(opts: RunScaleOptions): Promise<void> {
  const outdir = mkdtempSync(join(tmpdir(), 'tp-run-scale-'));
  const { template } = await synthTemplate({
    outdir,
    context: { sendConcurrency: String(opts.sendConcurrency) },
  });
  const ddb = await startDynamoDbLocal({});
  const base = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddb.endpoint });
  const ses = await startSesLocal({ maxSendRate: opts.rate });
  const proxy = await startFaultProxy(ses.endpoint, { protocol: 'ses', latencyMs: opts.latencyMs });
  const sesClient = new SESv2Client({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 1 });
  try {
    const { client, tableName, store } = await benchTable(base, template, 'runscale');
    const rates = new RateScheduleRows(new Table(client, tableName));
    await store.settings.putSettings(defaultSettings());
    await store.campaigns.putCampaign(birthday);

    const seedMs = await seedDueCustomers(store, opts.touches);

    // The provider edge: stamped when the call leaves (after its booked send time), counted per address.
    const calls: number[] = [];
    const perAddress = new Map<string, number>();
    const ses2 = new SesEmailSender({ client: sesClient, from: LOCAL_SENDER });
    const stamped: EmailSender = {
      send: async (message) => {
        calls.push(performance.timeOrigin + performance.now());
        const result = await ses2.send(message);
        if (result.ok) perAddress.set(message.to, (perAddress.get(message.to) ?? 0) + 1);
        return result;
      },
    };
    const email = throttled(
      windowGuarded(stamped, systemClock),
      new SharedRateBudget({ channel: 'email', ratePerSecond: opts.rate, schedule: rates }),
      { attempts: 5, baseMs: 200, maxMs: 5_000, retryWithinWindowMs: 120_000 },
    );
    const deps: Deps = {
      store,
      email,
      sms: noSms,
      events: { publish: async () => {} },
      clock: systemClock,
      links: {
        unsubscribeBaseUrl: 'http://127.0.0.1:8787/',
        unsubscribeSecret: 'bench-secret-bench-secret-bench-1',
      },
      rates,
    };

    console.error(
      `run: ${fmt(opts.touches)} touches, email at ${opts.rate}/s, ${opts.latencyMs} ms latency, sendConcurrency ${opts.sendConcurrency}…`,
    );
    const events: ExecutionEvent[] = [];
    let planMs = 0;
    const runStart = Date.now();
    const progress = setInterval(() => {
      console.error(`  ${fmt(calls.length)} sent after ${Math.round((Date.now() - runStart) / 1000)} s`);
    }, 15_000);
    let output: unknown;
    try {
      ({ output } = await executeRun(
        template,
        deps,
        { date: DATE, runId: `run-scale-${opts.touches}` },
        {
          onEvent: (e) => {
            events.push(e);
            if (e.type === 'StateExited' && e.state.name === 'PlanRun') planMs = Date.now() - runStart;
          },
        },
      ));
    } finally {
      clearInterval(progress);
    }
    const runMs = Date.now() - runStart;
    await sleep(0);

    const rows = await store.ledger.listDeliveries({ campaignId: birthday.id });
    const sentRows = rows.filter((r) => r.status === 'sent').length;
    const duplicates = [...perAddress.values()].filter((n) => n > 1).length;
    // Unknown: the provider may have taken it (no answer came back): held, listed, never resent.
    const unknown = rows.filter((r) => r.status === 'unknown');
    const settled = new Set(
      rows.filter((r) => r.status === 'sent' || r.status === 'unknown').map((r) => r.customerId),
    );
    const lost = opts.touches - settled.size;
    const serverTook = proxy.stats().forwarded;
    const mailbox = opts.touches <= 20_000 ? (await ses.listMail()).length : undefined;
    const rate = dispatch(calls);
    const h = historyOf(events);
    const batches = Math.ceil(opts.touches / BATCH_SIZE);
    const summary = Reflect.get(Object(output), 'summary');

    const lines = [
      `run ${fmt(opts.touches)} touches: wall ${(runMs / 1000).toFixed(1)} s (plan ${(planMs / 1000).toFixed(1)} s, send ${((runMs - planMs) / 1000).toFixed(1)} s); seeding ${(seedMs / 1000).toFixed(1)} s`,
      `exactly once: ${fmt(sentRows)} ledger rows sent, ${fmt(perAddress.size)} addresses the provider accepted, ${fmt(serverTook)} SendEmail requests the SES server took${mailbox === undefined ? '' : `, ${fmt(mailbox)} messages in its mailbox`}; ${duplicates} duplicates, ${lost} lost, ${unknown.length} unknown (held for review, not resent: ${unknown.map((r) => r.customerId).join(', ') || 'none'})`,
      `dispatch: configured ${opts.rate}/s, achieved ${rate.rate.toFixed(1)}/s (${((rate.rate / opts.rate) * 100).toFixed(1)} %), busiest second ${rate.peak} (${rate.peak <= opts.rate ? 'never above' : 'ABOVE'} the rate)`,
      `state machine: ${fmt(batches)} batches in ${h.children} chunks (${CHUNK_BATCHES} batches a chunk), ${fmt(h.transitions)} transitions = $${(h.transitions * PRICE_PER_TRANSITION).toFixed(4)} a run`,
      `history events: parent ${fmt(h.parentEvents)}, largest child ${fmt(h.largestChildEvents)} (${h.largestChildBatches} batches); one inline Map would have ${fmt(inlineHistory(batches))} of ${fmt(HISTORY_LIMIT)}`,
      `run summary: ${JSON.stringify(summary)}`,
    ];
    for (const size of [100_000, 1_000_000]) {
      const o = await orchestration(template, size);
      const b = Math.ceil(size / BATCH_SIZE);
      lines.push(
        `orchestration of ${fmt(size)} touches (same definition, stub tasks): ${fmt(b)} batches in ${o.children} child executions, each batch sent once (${fmt(o.batchesSent)} SendBatch calls), ` +
          `${fmt(o.transitions)} transitions = $${(o.transitions * PRICE_PER_TRANSITION).toFixed(3)} a run; ` +
          `history: parent ${fmt(o.parentEvents)}, largest child ${fmt(o.largestChildEvents)} of ${fmt(HISTORY_LIMIT)}; ` +
          `PlanRun output ${fmt(o.planBytes)} bytes of 262,144; one inline Map would have ${fmt(inlineHistory(b))} history events`,
      );
    }
    for (const l of lines) console.log(l);
    const ok = duplicates === 0 && lost === 0 && rate.peak <= opts.rate && rate.rate >= 0.95 * opts.rate;
    if (!ok) process.exitCode = 1;
    writeResultsSection(
      fileURLToPath(new URL('./RESULTS.md', import.meta.url)),
      `run-scale-${opts.touches}`,
      `## A run of ${fmt(opts.touches)} touches (\`npm run bench -- run --touches ${opts.touches} --rate ${opts.rate} --latency ${opts.latencyMs}\`)

One run through the synthesized definition (a Distributed Map over send chunks of ${CHUNK_BATCHES} batches,
each child an inline Map at sendConcurrency ${opts.sendConcurrency}, two children at a time), run locally by
aws-local-stepfunctions with the real handlers, DynamoDB Local in memory and the local SES server behind
${opts.latencyMs} ms of injected latency (local/provider-faults.ts). Every send books its time on the shared
rate schedule as send-batch does in the cloud. Duplicates = addresses the provider accepted twice;
lost = due customers with no \`sent\` ledger row. History events are modelled from the runner's event
log (docs/run-at-scale.md). ${new Date().toISOString().slice(0, 10)}, this machine (2 cores, shared); ${ok ? 'every bar met' : 'A BAR WAS MISSED'}.

${lines.map((l) => `- ${l}`).join('\n')}
`,
    );
  } finally {
    sesClient.destroy();
    base.destroy();
    await proxy.stop();
    await ses.stop();
    await ddb.stop();
    rmSync(outdir, { recursive: true, force: true });
  }
}
