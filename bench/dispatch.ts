// Bench: the send rate that two overlapping executions achieve together. Each execution's Map runs
// MaxConcurrency (4) batches at once, so 8 send-batch "instances" send their batches one touch after
// another, through the real SES v2 client to the local SES server and the real SMS client to the SMS
// sink, with injected latency standing in for the cloud's round trip. Ours: every instance books its
// send times on the shared schedule in DynamoDB Local (shared/channels/rate-budget.ts). Naive: the
// old token bucket per instance. The rate is counted from the provider calls' timestamps.
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_AWS, LOCAL_SENDER, LOCAL_SMS_ORIGINATOR } from '../local/runtime.js';
import { startSesLocal } from '../local/ses-local.js';
import { startSmsSink } from '../local/sms-sink.js';
import { SharedRateBudget } from '../shared/channels/rate-budget.js';
import { SesEmailSender } from '../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../shared/channels/sms.js';
import { type RateLimiter, type Sender, TokenBucket, throttled } from '../shared/channels/throttle.js';
import type { OutgoingEmail, OutgoingSms } from '../shared/ports/channels.js';
import { RateScheduleRows } from '../shared/store/rate-budget.js';
import type { Table } from '../shared/store/table.js';
import { writeResultsSection } from './results-file.js';

const EXECUTIONS = 2;
const MAX_CONCURRENCY = 4;
const LATENCY_MS = 40;
const RETRY = { attempts: 5, baseMs: 200, maxMs: 5_000 };

export interface ChannelRates {
  configured: number;
  messages: number;
  ours: { rate: number; peak: number };
  naive: { rate: number; peak: number };
}

export interface DispatchBenchResult {
  email: ChannelRates;
  sms: ChannelRates;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls per second from first to last call, and the most calls in any one second [t, t + 1 s). */
function measure(calls: readonly number[]): { rate: number; peak: number } {
  const sorted = [...calls].sort((a, b) => a - b);
  const span = (sorted.at(-1) ?? 0) - (sorted[0] ?? 0);
  let peak = 0;
  let j = 0;
  for (const [i, t] of sorted.entries()) {
    while (j < sorted.length && (sorted[j] ?? Number.POSITIVE_INFINITY) < t + 1000) j++;
    peak = Math.max(peak, j - i);
  }
  return { rate: span > 0 ? ((sorted.length - 1) * 1000) / span : 0, peak };
}

/** The provider behind injected latency, each call stamped when it leaves. */
function stamped<M>(provider: Sender<M>, calls: number[]): Sender<M> {
  return {
    send: async (message) => {
      calls.push(performance.timeOrigin + performance.now());
      await sleep(LATENCY_MS);
      return provider.send(message);
    },
  };
}

async function twoExecutions<M extends object>(
  provider: Sender<M>,
  limiterFor: () => RateLimiter,
  message: (instance: number, n: number) => M,
  perBatch: number,
): Promise<number[]> {
  const calls: number[] = [];
  const instances = Array.from({ length: EXECUTIONS * MAX_CONCURRENCY }, () =>
    throttled(stamped(provider, calls), limiterFor(), RETRY),
  );
  await Promise.all(
    instances.map(async (sender, i) => {
      for (let n = 0; n < perBatch; n++) {
        const result = await sender.send(message(i, n));
        if (!result.ok) throw new Error(`dispatch bench: a send failed: ${result.error}`);
      }
    }),
  );
  return calls;
}

async function channel<M extends object>(
  name: string,
  configured: number,
  perBatch: number,
  provider: Sender<M>,
  message: (instance: number, n: number) => M,
  table: Table,
): Promise<ChannelRates> {
  const schedule = new RateScheduleRows(table);
  const budgetName = `bench-${name}-${Date.now()}`;
  const ours = await twoExecutions(
    provider,
    () => new SharedRateBudget({ channel: budgetName, ratePerSecond: configured, schedule }),
    message,
    perBatch,
  );
  const naive = await twoExecutions(
    provider,
    () => new TokenBucket({ ratePerSecond: configured }),
    message,
    perBatch,
  );
  return { configured, messages: ours.length, ours: measure(ours), naive: measure(naive) };
}

const pct = (rate: number, configured: number) => `${Math.round((rate / configured) * 100)} %`;

/** The bar: at least 95 % of the configured rate, and never more than it in any one second. */
export const holdsRate = (r: ChannelRates): boolean =>
  r.ours.rate >= 0.95 * r.configured && r.ours.rate <= r.configured && r.ours.peak <= Math.ceil(r.configured);

export function dispatchLines(result: DispatchBenchResult): string[] {
  return (['email', 'sms'] as const).map((name) => {
    const r = result[name];
    return (
      `dispatch ${name}: configured ${r.configured}/s, ours ${r.ours.rate.toFixed(1)}/s (${pct(r.ours.rate, r.configured)}, ` +
      `peak ${r.ours.peak} in 1 s), naive ${r.naive.rate.toFixed(1)}/s (${pct(r.naive.rate, r.configured)}, peak ${r.naive.peak} in 1 s)` +
      (holdsRate(r) ? '' : ' — OURS OUTSIDE 95–100 % OF THE RATE')
    );
  });
}

export async function benchDispatch(table: Table): Promise<DispatchBenchResult> {
  const ses = await startSesLocal({ maxSendRate: 14 });
  const sink = await startSmsSink({});
  const sesClient = new SESv2Client({ ...LOCAL_AWS, endpoint: ses.endpoint, maxAttempts: 1 });
  const smsClient = new PinpointSMSVoiceV2Client({ ...LOCAL_AWS, endpoint: sink.endpoint, maxAttempts: 1 });
  try {
    const email = new SesEmailSender({ client: sesClient, from: LOCAL_SENDER });
    const sms = new EndUserMessagingSmsSender({
      client: smsClient,
      originationIdentity: LOCAL_SMS_ORIGINATOR,
    });
    const emailMessage = (i: number, n: number): OutgoingEmail => ({
      to: `bench-${i}-${n}@example.com`,
      subject: 'dispatch bench',
      text: 'hello',
      unsubscribeUrl: 'https://example.com/u',
      tags: { campaign: 'bench' },
    });
    const smsMessage = (i: number, n: number): OutgoingSms => ({
      to: `+1555${String(i).padStart(3, '0')}${String(n).padStart(4, '0')}`,
      text: 'hello',
      messageType: 'PROMOTIONAL',
      tags: { campaign: 'bench' },
    });
    // One channel after the other: each has its own quota and schedule, and the bench's one process
    // stands for many Lambda instances, so it keeps its event loop for one at a time.
    const emailRates = await channel('email', 14, 15, email, emailMessage, table);
    const smsRates = await channel('sms', 5, 6, sms, smsMessage, table);
    return { email: emailRates, sms: smsRates };
  } finally {
    sesClient.destroy();
    smsClient.destroy();
    await sink.stop();
    await ses.stop();
  }
}

export async function benchDispatchSection(table: Table, resultsPath: string): Promise<void> {
  console.error(
    `dispatch: ${EXECUTIONS} executions x ${MAX_CONCURRENCY} batches against local SES and the SMS sink…`,
  );
  const result = await benchDispatch(table);
  const lines = dispatchLines(result);
  for (const l of lines) console.log(l);
  writeResultsSection(
    resultsPath,
    'dispatch',
    `## Dispatch: one send rate across instances

${EXECUTIONS} executions in flight, each Map at MaxConcurrency ${MAX_CONCURRENCY}: ${EXECUTIONS * MAX_CONCURRENCY}
send-batch instances send their batches one touch after another, through the real SDK clients to
the local SES server (${result.email.messages} emails) and the SMS sink (${result.sms.messages} SMS)
with ${LATENCY_MS} ms injected latency. Ours: every instance books its send times on the shared
schedule in DynamoDB Local. Naive: a token bucket per instance (the old code). Rate = calls per
second from the first provider call to the last; peak = most calls in any one second.

${lines.map((l) => `- ${l}`).join('\n')}
`,
  );
}
