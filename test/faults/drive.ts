// The fault drive: due touches through the real state machine (the template's ASL in
// aws-local-stepfunctions), DynamoDB Local, the local SES server and the SMS sink, while the
// providers throttle, fail with 5xx before and after accepting, time out, DynamoDB throttles, the
// batch handler "dies" between reserve and send and between send and settle, two executions of the
// same schedule firing overlap, and one execution is stopped mid-way and redriven. Then the faults
// heal, the ledger's leases run out, the unknown touches are reconciled the way an operator does
// (docs/exactly-once.md) and the day is rerun. Counts: duplicates (an address or phone the
// providers received twice), lost (a due touch nobody received), unknown (ledger `unknown` rows,
// each listed with how it reconciled). Used by `npm run test:faults` and the emulator tier.
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Deps } from '../../functions/commons/deps.js';
import type { CfnTemplate } from '../../local/assembly-tables.js';
import { ensureTables } from '../../local/assembly-tables.js';
import { releaseCommand } from '../../local/cli/commands/plan-run.js';
import {
  type FaultBurst,
  type FaultKind,
  type FaultProxy,
  seededRandom,
  startFaultProxy,
} from '../../local/provider-faults.js';
import { executeRun, RunExecutionError } from '../../local/run-executor.js';
import { LOCAL_AWS, LOCAL_SENDER, LOCAL_SMS_ORIGINATOR } from '../../local/runtime.js';
import { SharedRateBudget } from '../../shared/channels/rate-budget.js';
import { SesEmailSender } from '../../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../../shared/channels/sms.js';
import { type Sender, throttled } from '../../shared/channels/throttle.js';
import {
  type Customer,
  campaignSchema,
  customerSchema,
  defaultSettings,
} from '../../shared/domain/documents.js';
import { type Delivery, touchKeyString } from '../../shared/domain/touch.js';
import type { EmailSender, SmsSender } from '../../shared/ports/channels.js';
import type { Clock } from '../../shared/ports/clock.js';
import { RESERVATION_TIMEOUT_MS } from '../../shared/ports/ledger.js';
import { RateScheduleRows } from '../../shared/store/rate-budget.js';
import { dynamoStores } from '../../shared/store/stores.js';
import { Table } from '../../shared/store/table.js';
import { releaseDelivery } from '../../shared/usecases/deliveries/release.js';
import { dateForScheduledTime } from '../../shared/usecases/run/start-run.js';

export interface FaultPlan {
  /** Provider fault rates (each drawn per send request) and fixed bursts, SES and SMS alike. */
  rates: Partial<Record<FaultKind, number>>;
  bursts: readonly FaultBurst[];
  /** Fraction of DynamoDB calls refused with ProvisionedThroughputExceededException. */
  ddbThrottleRate: number;
  /**
   * DynamoDB throttling starts once the providers had this many calls (0: from the first call of the
   * run). Locally a plan of 10,000 touches on a loaded 2-core machine nears PlanRun's 300 s timeout,
   * which aws-local-stepfunctions honours; the long mode throttles the sending phase only.
   */
  ddbThrottleFromCall: number;
  /** Provider calls (0-based, all channels) after which the handler dies before / after the send. */
  crashBefore: readonly number[];
  crashAfter: readonly number[];
  /** Plus a seeded fraction of provider calls for each crash point. */
  crashRate: number;
  /** Stop the first execution once this many provider calls were made. */
  stopAfterCalls: number;
}

export interface FaultDriveOptions {
  template: CfnTemplate;
  ddbEndpoint: string;
  sesEndpoint: string;
  smsEndpoint: string;
  /** Customers born on the run's day; every fifth also gets an SMS (1.2 touches a customer). */
  customers: number;
  /** Ids, addresses and phones carry it, so several drives can share the local servers. */
  prefix: string;
  seed: number;
  plan: FaultPlan;
  /** Send rate per channel (the shared booking schedule enforces it). */
  ratePerSecond: number;
  /** Provider latency in ms (seeded uniform range). */
  latencyMs: { min: number; max: number };
  log?: (line: string) => void;
}

export interface UnknownTouch {
  key: string;
  channel: string;
  atProvider: boolean;
  /** How it reconciles: left held (the provider has it) or released and sent by the rerun. */
  reconciled: string;
  ok: boolean;
}

export interface FaultReport {
  touches: number;
  duplicates: number;
  lost: number;
  /** Each lost touch with its ledger row, if any. */
  lostTouches: string[];
  unknown: UnknownTouch[];
  injected: Record<string, number>;
  crashes: { before: number; after: number };
  executions: string[];
  /** The stopped run's status before its redrive, and after it. */
  runStatus: { stopped: string; redriven: string };
  providerCalls: number;
}

const mailStore = z.object({
  emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }) })),
});
const smsList = z.array(z.object({ to: z.string() }));

/** Deliveries per address (email) and phone (SMS) at the local servers, among this drive's. */
async function providerCounts(sesEndpoint: string, smsEndpoint: string, prefix: string) {
  const mails = mailStore.parse(await (await fetch(new URL('/store', sesEndpoint))).json());
  const sms = smsList.parse(await (await fetch(new URL('/messages', smsEndpoint))).json());
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const to of mails.emails.flatMap((e) => e.destination.to))
    if (to.startsWith(prefix)) add(`email:${to}`);
  return { counts, sms, add };
}

export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/** The drive's customers: ids `${prefix}-N`, every fifth a key customer with a phone. */
export function driveCustomers(prefix: string, n: number, monthDay: string): Customer[] {
  return Array.from({ length: n }, (_, i) => {
    const key = i % 5 === 0;
    return customerSchema.parse({
      id: `${prefix}-${i}`,
      name: `Customer ${i}`,
      email: `${prefix}-${i}@example.com`,
      locale: 'en-US',
      timeZone: 'UTC',
      birthday: `1990-${monthDay}`,
      monthlyValue: key ? 600 : 50,
      consent: { email: true, sms: true },
      ...(key && { phone: phoneOf(i) }),
    });
  });
}

/** A distinct valid E.164 number per customer (one drive per SMS sink: numbers repeat across drives). */
const phoneOf = (i: number): string => `+1415${2_000_000 + i}`;

export async function driveFaults(opts: FaultDriveOptions): Promise<FaultReport> {
  const log = opts.log ?? (() => undefined);
  const { plan } = opts;
  const random = seededRandom(opts.seed);
  const proxies: FaultProxy[] = [];
  const clients: { destroy(): void }[] = [];
  const stops: (() => void)[] = [];
  try {
    // DynamoDB behind throttling, with the ledger's leases on a wall clock the drive moves.
    const ddbProxy = await startFaultProxy(opts.ddbEndpoint, {
      protocol: 'dynamodb',
      seed: opts.seed + 1,
      rates: { throttle: plan.ddbThrottleFromCall === 0 ? plan.ddbThrottleRate : 0 },
    });
    proxies.push(ddbProxy);
    const setupClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: opts.ddbEndpoint });
    const ddb = new DynamoDBClient({ ...LOCAL_AWS, endpoint: ddbProxy.endpoint });
    clients.push(setupClient, ddb);
    const tables = await ensureTables(setupClient, opts.template, { tableNamePrefix: `${opts.prefix}-` });
    const tableName = [...tables.values()][0];
    if (!tableName) throw new Error('the template has no table');
    const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
    let wallNow = Date.now();
    const wall: Clock = { now: () => new Date(wallNow) };
    const store = dynamoStores({ client: doc, tableName, clock: wall });
    const table = new Table(doc, tableName);

    // Setup straight to the database: the faults are for the run.
    const setupDoc = DynamoDBDocumentClient.from(setupClient, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const setupStore = dynamoStores({ client: setupDoc, tableName, clock: wall });
    const scheduledTime = '2030-03-09T09:00:00.000Z';
    const date = dateForScheduledTime(scheduledTime);
    const customers = driveCustomers(opts.prefix, opts.customers, date.slice(5));
    await setupStore.settings.putSettings(defaultSettings());
    await setupStore.campaigns.putCampaign(
      campaignSchema.parse(
        JSON.parse(readFileSync(new URL('../../examples/campaigns/birthday.json', import.meta.url), 'utf8')),
      ),
    );
    await setupStore.documents.putCustomers(customers);
    const due = customers.reduce((n, c) => n + (c.phone ? 2 : 1), 0);
    log(`faults: ${customers.length} customers, ${due} due touches on ${date}`);

    // The providers behind the fault proxies, through the senders the cloud composes.
    const providerOptions = {
      seed: opts.seed + 2,
      latencyMs: opts.latencyMs,
      rates: plan.rates,
      bursts: plan.bursts,
      hangMs: 30,
    };
    const sesProxy = await startFaultProxy(opts.sesEndpoint, { protocol: 'ses', ...providerOptions });
    const smsProxy = await startFaultProxy(opts.smsEndpoint, {
      protocol: 'sms',
      ...providerOptions,
      seed: opts.seed + 3,
    });
    proxies.push(sesProxy, smsProxy);
    const ses = new SESv2Client({ ...LOCAL_AWS, endpoint: sesProxy.endpoint, maxAttempts: 1 });
    const sms = new PinpointSMSVoiceV2Client({ ...LOCAL_AWS, endpoint: smsProxy.endpoint, maxAttempts: 1 });
    clients.push(ses, sms);
    const rates = new RateScheduleRows(table);
    const retry = { attempts: 5, baseMs: 20, maxMs: 400 };
    const budget = (channel: 'email' | 'sms') =>
      new SharedRateBudget({ channel, ratePerSecond: opts.ratePerSecond, schedule: rates });

    // The crash points: the batch handler dies (throws) before or after a provider call.
    let calls = 0;
    let crashing = true;
    const crashes = { before: 0, after: 0 };
    const crashBefore = new Set(plan.crashBefore);
    const crashAfter = new Set(plan.crashAfter);
    const dying = <M>(inner: Sender<M>): Sender<M> => ({
      send: async (message: M) => {
        const n = calls++;
        if (crashing && plan.ddbThrottleFromCall > 0 && n === plan.ddbThrottleFromCall)
          ddbProxy.update({ rates: { throttle: plan.ddbThrottleRate } });
        const before = random() < plan.crashRate;
        const after = random() < plan.crashRate;
        if (crashing && (crashBefore.has(n) || before)) {
          crashes.before += 1;
          throw new SimulatedCrash(`crash between reserve and send (call ${n})`);
        }
        const result = await inner.send(message);
        if (crashing && (crashAfter.has(n) || after)) {
          crashes.after += 1;
          throw new SimulatedCrash(`crash between send and settle (call ${n})`);
        }
        return result;
      },
    });
    const email: EmailSender = throttled(
      dying(new SesEmailSender({ client: ses, from: LOCAL_SENDER })),
      budget('email'),
      retry,
    );
    const smsSender: SmsSender = throttled(
      dying(new EndUserMessagingSmsSender({ client: sms, originationIdentity: LOCAL_SMS_ORIGINATOR })),
      budget('sms'),
      retry,
    );
    const runClock: Clock = { now: () => new Date(scheduledTime) };
    const deps: Deps = {
      store,
      email,
      sms: smsSender,
      events: { publish: async () => undefined },
      clock: runClock,
      links: { unsubscribeBaseUrl: 'http://127.0.0.1:8787/', unsubscribeSecret: 'faults-secret' },
      rates,
    };
    const executions: string[] = [];
    const t0 = performance.now();
    const progress = setInterval(
      () => log(`faults: … ${calls} provider calls after ${Math.round((performance.now() - t0) / 1000)} s`),
      15_000,
    );
    stops.push(() => clearInterval(progress));
    const run = async (name: string, input: Parameters<typeof executeRun>[2], signal?: AbortSignal) => {
      try {
        const { output } = await executeRun(opts.template, deps, input, signal ? { signal } : {});
        const status = z.object({ status: z.string().optional() }).safeParse(output);
        executions.push(
          `${name}: ended${status.success && status.data.status ? ` (${status.data.status})` : ''}`,
        );
      } catch (error) {
        if (!(error instanceof RunExecutionError)) throw error;
        executions.push(`${name}: ${error.message}`);
      }
      log(`faults: ${executions.at(-1)} (${calls} provider calls, ${Math.round(performance.now() - t0)} ms)`);
    };

    // 1. Two executions of one firing at once; the first is stopped mid-way.
    const runId = `${opts.prefix}-run`;
    const fire = { scheduledTime, scheduleTimeZone: 'UTC', daysAhead: 1 };
    const stop = new AbortController();
    const watch = (async () => {
      const deadline = Date.now() + 600_000;
      while (calls < plan.stopAfterCalls && !stop.signal.aborted && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      stop.abort();
    })();
    const first = run('execution A (stopped mid-way)', { ...fire, runId }, stop.signal);
    // B fires once A holds the firing (its run meta is written), while A is still sending.
    const held = Date.now() + 120_000;
    while ((await setupStore.runs.getRunMeta(runId)) === undefined && Date.now() < held)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([
      first,
      run('execution B (same firing, overlapping)', { ...fire, runId: `${opts.prefix}-run-b` }),
    ]);
    stop.abort();
    await watch;
    // The stopped execution's run says so (Step Functions' status event → summarize-run).
    const stoppedRun = (await setupStore.runs.getRunMeta(runId))?.status ?? 'none';
    // 2. The redrive: the same firing and run id again.
    await run('execution A redriven', { ...fire, runId });
    const redrivenRun = (await setupStore.runs.getRunMeta(runId))?.status ?? 'none';

    // 3. The faults heal; the dead handlers' leases run out by the wall clock; the day is rerun.
    crashing = false;
    for (const p of [sesProxy, smsProxy, ddbProxy]) p.update({ rates: {}, bursts: [] });
    wallNow += RESERVATION_TIMEOUT_MS + 1_000;
    await run(`rerun of ${date}`, { date, runId: `${opts.prefix}-rerun` });

    // 4. Each unknown touch reconciled as the operator does: the provider's records say whether
    // it went out; one that did stays held, one that did not is released and the rerun sends it.
    const byKey = (rows: Delivery[]) => new Map(rows.map((d) => [touchKeyString(d), d]));
    const afterFaults = await setupStore.ledger.listDeliveries({ campaignId: 'birthday' });
    const providerKey = (d: Delivery) => `${d.channel}:${d.address ?? ''}`;
    const seen = await providerCounts(opts.sesEndpoint, opts.smsEndpoint, opts.prefix);
    const phones = new Set(customers.flatMap((c) => (c.phone ? [c.phone] : [])));
    for (const m of seen.sms) if (phones.has(m.to)) seen.add(`sms:${m.to}`);
    const unknownRows = afterFaults.filter((d) => d.status === 'unknown');
    const released = new Set<string>();
    for (const d of unknownRows) {
      if ((seen.counts.get(providerKey(d)) ?? 0) > 0) continue;
      const outcome = await releaseDelivery({ ledger: setupStore.ledger, clock: wall }, d);
      if (outcome.released) released.add(touchKeyString(d));
    }
    if (released.size > 0)
      await run(`rerun of ${date} after releasing ${released.size}`, {
        date,
        runId: `${opts.prefix}-rerun-2`,
      });

    // 5. The count.
    const final = byKey(await setupStore.ledger.listDeliveries({ campaignId: 'birthday' }));
    const at = await providerCounts(opts.sesEndpoint, opts.smsEndpoint, opts.prefix);
    for (const m of at.sms) if (phones.has(m.to)) at.add(`sms:${m.to}`);
    const dueKeys = customers.flatMap((c) => [
      `email:${c.email ?? ''}`,
      ...(c.phone ? [`sms:${c.phone}`] : []),
    ]);
    const duplicates = [...at.counts.values()].filter((n) => n > 1).length;
    const rowByProvider = new Map([...final.values()].map((d) => [providerKey(d), d]));
    const lostTouches = dueKeys
      .filter((k) => (at.counts.get(k) ?? 0) === 0)
      .map((k) => {
        const row = rowByProvider.get(k);
        return `${k}: ${row ? `${row.status}${row.reason ? ` ${row.reason}` : ''}${row.error ? ` (${row.error})` : ''}` : 'no ledger row'}`;
      });
    const lost = lostTouches.length;
    const unknown: UnknownTouch[] = unknownRows.map((d) => {
      const key = touchKeyString(d);
      const atProvider = (seen.counts.get(providerKey(d)) ?? 0) > 0;
      const now = final.get(key);
      const received = at.counts.get(providerKey(d)) ?? 0;
      return atProvider
        ? {
            key,
            channel: d.channel,
            atProvider,
            reconciled: `the provider has it: left held (${now?.status ?? 'no row'}), never resent`,
            ok: received === 1 && (now?.status === 'unknown' || now?.status === 'sent'),
          }
        : {
            key,
            channel: d.channel,
            atProvider,
            reconciled: `not at the provider: released (${releaseCommand(d)}), the rerun sent it (${now?.status ?? 'no row'})`,
            ok: released.has(key) && received === 1 && now?.status === 'sent',
          };
    });
    const injected: Record<string, number> = {};
    for (const [name, p] of [
      ['ses', sesProxy],
      ['sms', smsProxy],
      ['dynamodb', ddbProxy],
    ] as const)
      for (const [kind, n] of Object.entries(p.stats().injected)) if (n > 0) injected[`${name} ${kind}`] = n;
    return {
      touches: due,
      duplicates,
      lost,
      lostTouches,
      unknown,
      injected,
      crashes,
      executions,
      runStatus: { stopped: stoppedRun, redriven: redrivenRun },
      providerCalls: calls,
    };
  } finally {
    for (const s of stops) s();
    for (const p of proxies) await p.stop();
    for (const c of clients) c.destroy();
  }
}

export const faultLine = (r: FaultReport): string =>
  `faults: ${r.touches} touches, ${r.duplicates} duplicates, ${r.lost} lost, ${r.unknown.length} unknown`;

/** D = 0, L = 0 and every unknown touch reconciled. */
export const faultsPass = (r: FaultReport): boolean =>
  r.duplicates === 0 && r.lost === 0 && r.unknown.every((u) => u.ok);
