// SendBatch: every send goes through the ledger's conditional write first (DESIGN decision 2).
// reserve → send → settle. A crash after reserve leaves the row `reserved`: later runs treat it
// as held (never a second send), mark it `unknown` on the ledger once its lease ran out, and report
// it `unknown` with the operator's next step, never as sent (docs/exactly-once.md).
import { customerAddress } from '../../domain/addresses.js';
import { topicOf } from '../../domain/consent.js';
import type { Campaign, Customer, Settings } from '../../domain/documents.js';
import { composeEmail } from '../../domain/email-layout/compose.js';
import { renderMessage } from '../../domain/templates.js';
import type { DeliveryStatus, PlannedTouch } from '../../domain/touch.js';
import { unsubscribeUrl } from '../../domain/unsubscribe.js';
import type { EmailSender, SendResult, SmsSender } from '../../ports/channels.js';
import type { Clock } from '../../ports/clock.js';
import { UNKNOWN_REASONS } from '../../ports/ledger.js';
import type { RunBatch } from '../../ports/runs.js';
import { DeliveryNotFoundError } from '../../store/errors.js';
import type { Stores } from '../../store/stores.js';
import { noteDeliveryOutcome } from '../reputation/note-outcome.js';
import { exposureUnit, recordExposureUnits } from '../results/attribute.js';
import { countBatch } from '../results/count-run.js';
import { loadSendTimeChecks, type SendTimeChecks } from './send-time-facts.js';

export interface SendBatchDeps {
  /** `suppression` and `reputation` for the send-time recheck (docs/send-time-checks.md). */
  /** `results`: the batch's outcomes go into the results counters (docs/cost.md). */
  /** `conversions`: the exposure units the batch's touches open (docs/attribution.md). */
  store: Pick<
    Stores,
    'campaigns' | 'due' | 'ledger' | 'runs' | 'suppression' | 'reputation' | 'results' | 'conversions'
  > & {
    /** Product names and the sender's footer (docs/messages.md). */
    settings: Pick<Stores['settings'], 'getSettings'>;
  };
  email: EmailSender;
  sms: SmsSender;
  clock: Clock;
  links: { unsubscribeBaseUrl: string; unsubscribeSecret: string };
  /** Waits between re-reads of a row another run holds (real time; injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds this invocation may still run (Lambda's remaining time); absent: no limit. */
  timeLeftMs?: () => number;
}

/**
 * Stop reserving new touches when less than this is left: the longest one touch can take (its
 * throttled retries inside the window, 120 s, plus a provider round trip and the results write).
 */
export const STOP_MARGIN_MS = 180_000;

/**
 * How long a send waits for another run's fresh reservation to settle before calling it `unknown`:
 * long enough for a concurrent run's SendEmail round trip, short next to the batch timeout.
 */
export const SETTLE_WAITS_MS = [50, 100, 200, 400, 800] as const;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SendBatchInput {
  runId: string;
  batchId: string;
}

export interface SendBatchResult {
  batchId: string;
  sent: number;
  failed: number;
  suppressed: number;
  expired: number;
  unknown: number;
}

/**
 * The invocation stopped before its time ran out, with touches left: nothing of them was reserved,
 * so the state machine's retry of the batch sends the rest (and reports what this attempt sent as
 * `sent`, from the ledger rows it holds).
 */
export class BatchOutOfTimeError extends Error {
  constructor(
    readonly runId: string,
    readonly batchId: string,
    readonly done: number,
    readonly left: number,
  ) {
    super(`batch ${batchId} of run ${runId}: ${done} touches done, ${left} left for the retry`);
    this.name = 'BatchOutOfTimeError';
  }
}

export class BatchNotFoundError extends Error {
  constructor(
    readonly runId: string,
    readonly batchId: string,
  ) {
    super(`run ${runId} has no batch ${batchId}`);
    this.name = 'BatchNotFoundError';
  }
}

type Outcome = NonNullable<RunBatch['results']>[number];

export async function sendBatch(deps: SendBatchDeps, input: SendBatchInput): Promise<SendBatchResult> {
  const { store } = deps;
  const batch = await store.runs.getRunBatch(input.runId, input.batchId);
  if (!batch) throw new BatchNotFoundError(input.runId, input.batchId);
  // A rerun of this task (Step Functions retry) finds the results it already wrote.
  const results = batch.results ?? (await sendTouches(deps, batch));
  if (!batch.results) await store.runs.putRunBatchResults(batch.runId, batch.batchId, results);
  // Counted once per batch, also by a retry that found the results recorded (a crash in between).
  await countBatch(deps, { ...batch, outcomes: results });
  const count = (s: DeliveryStatus) => results.filter((r) => r.status === s).length;
  return {
    batchId: batch.batchId,
    sent: count('sent'),
    failed: count('failed'),
    suppressed: count('suppressed'),
    expired: count('expired'),
    unknown: count('unknown'),
  };
}

/**
 * A touch the planner found held by an earlier run's reservation (or an `unknown` row), which
 * PlanRun carries into the batch so the run reports what became of it (plan-run.ts).
 */
export const isCarriedForReview = (t: PlannedTouch): boolean =>
  t.status === 'planned' && t.reason === 'already-sent';

async function sendTouches(deps: SendBatchDeps, batch: RunBatch): Promise<Outcome[]> {
  const customerIds = [...new Set(batch.touches.map((t) => t.customerId))];
  const campaignIds = [...new Set(batch.touches.map((t) => t.campaignId))];
  const [customers, campaigns, settings] = await Promise.all([
    deps.store.due.getCustomers(customerIds),
    Promise.all(campaignIds.map((id) => deps.store.campaigns.getCampaign(id))),
    deps.store.settings.getSettings(),
  ]);
  const campaignById = new Map(campaigns.flatMap((r) => (r ? [[r.campaign.id, r] as const] : [])));
  const checks = await loadSendTimeChecks(deps.store, batch.touches, customers, campaignById, settings);
  // Held touches send nothing: they are reviewed together, so the waits for fresh reservations of
  // another run overlap instead of adding up touch by touch.
  const now = deps.clock.now();
  const reviews = await Promise.all(
    batch.touches.map((t) => (isCarriedForReview(t) ? heldOutcome(deps, t, batch.runId, now) : undefined)),
  );
  const opens = new Set(batch.opensUnits);
  const outcomes: Outcome[] = [];
  for (const [i, touch] of batch.touches.entries()) {
    if (deps.timeLeftMs !== undefined && deps.timeLeftMs() < STOP_MARGIN_MS)
      throw new BatchOutOfTimeError(batch.runId, batch.batchId, i, batch.touches.length - i);
    // The unit this touch opens, treated whatever its send's outcome (intent to treat), written
    // beside its reserve: one write a touch while the rate spaces the sends, not the batch's 50 at
    // its start, when every batch of a wave starts at once (docs/run-at-scale.md). Written once, so
    // a retry of the batch records and counts nobody twice; all are written before the results.
    const [outcome] = await Promise.all([
      outcomeOf(deps, batch.runId, touch, reviews[i], customers, campaignById, settings, checks),
      opens.has(i) && recordExposureUnits(deps.store, [exposureUnit(touch, deps.clock.now().toISOString())]),
    ]);
    outcomes.push(outcome);
  }
  return outcomes;
}

function outcomeOf(
  deps: SendBatchDeps,
  runId: string,
  touch: PlannedTouch,
  review: Outcome | 'released' | undefined,
  customers: Map<string, Customer>,
  campaignById: Map<string, { campaign: Campaign; paused: boolean }>,
  settings: Settings,
  checks: SendTimeChecks,
): Promise<Outcome> {
  // Released since planning (the holder's send failed): an ordinary touch again.
  if (review !== undefined && review !== 'released') return Promise.resolve(review);
  return sendTouch(
    deps,
    runId,
    touch,
    customers.get(touch.customerId),
    campaignById.get(touch.campaignId),
    settings,
    checks,
  );
}

const keyOf = (t: PlannedTouch) => ({
  campaignId: t.campaignId,
  stepId: t.stepId,
  customerId: t.customerId,
  channel: t.channel,
  occasion: t.occasion,
});

async function sendTouch(
  deps: SendBatchDeps,
  runId: string,
  touch: PlannedTouch,
  customer: Customer | undefined,
  record: { campaign: Campaign; paused: boolean } | undefined,
  settings: Settings,
  checks: SendTimeChecks,
): Promise<Outcome> {
  const key = keyOf(touch);
  const now = deps.clock.now();
  // Facts can change between planning and the send time (up to ~36 hours): everything planning
  // decided from them is decided again now (docs/send-time-checks.md).
  // Erased since planning: nothing that identifies them is written, and the batch goes on.
  if (!customer) return { key, status: 'suppressed', reason: 'no-consent' };
  const recheck = checks.reasonFor(touch, customer, record);
  if (recheck) {
    await deps.store.ledger.recordSuppressed(
      { ...touch, status: 'suppressed', reason: recheck },
      runId,
      now.toISOString(),
    );
    return { key, status: 'suppressed', reason: recheck };
  }
  if (now.getTime() >= Date.parse(touch.windowEnd)) {
    // Recorded, not held: a later run (a rerun of the day) may still send it.
    if (await deps.store.ledger.recordExpired(touch, runId, now.toISOString())) {
      return { key, status: 'expired', reason: 'send window closed before the batch ran' };
    }
    const held = await heldOutcome(deps, touch, runId, now);
    return held === 'released'
      ? { key, status: 'expired', reason: 'send window closed before the batch ran' }
      : held;
  }
  if (!(await deps.store.ledger.reserve(touch, runId, now.toISOString()))) {
    const held = await heldOutcome(deps, touch, runId, now);
    if (held !== 'released') return held;
    // The holder released it between our reserve and our read (it failed): one more try.
    if (!(await deps.store.ledger.reserve(touch, runId, deps.clock.now().toISOString()))) {
      const again = await heldOutcome(deps, touch, runId, now);
      return again === 'released'
        ? {
            key,
            status: 'unknown',
            reason: UNKNOWN_REASONS.inFlight,
            error: 'the key changed hands while sending',
          }
        : again;
    }
  }
  // Rendered from the anchor record as it is now, not as it was at planning.
  const result = await deliver(deps, checks.current(touch), customer, record?.campaign, settings);
  const outcome = await settleResult(deps, touch, runId, result);
  // Every send counts in the channel's reputation window (one aggregate write).
  if (outcome.status === 'sent')
    await noteDeliveryOutcome(
      { reputation: deps.store.reputation },
      { channel: touch.channel, outcome: 'sent', at: deps.clock.now().toISOString() },
    );
  return outcome;
}

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** The reserved row takes the provider's answer; a row erased meanwhile is left alone. */
async function settleResult(
  deps: SendBatchDeps,
  touch: PlannedTouch,
  runId: string,
  result: SendResult,
): Promise<Outcome> {
  const key = keyOf(touch);
  const settledAt = deps.clock.now().toISOString();
  try {
    if (result.ok) {
      await deps.store.ledger.settle(
        key,
        { status: 'sent', providerMessageId: result.providerMessageId },
        settledAt,
      );
      return { key, status: 'sent', providerMessageId: result.providerMessageId };
    }
    if (result.windowClosed) {
      await deps.store.ledger.settle(key, { status: 'expired', error: result.error }, settledAt);
      return { key, status: 'expired', reason: 'send window closed while waiting to send' };
    }
    if (result.maybeSent) {
      // The provider may have accepted it: held as `unknown` for review, never resent blindly.
      const row = await deps.store.ledger.getDelivery(key);
      if (row) await deps.store.ledger.markUnknown(row, row.runId === runId, settledAt);
      return {
        key,
        status: 'unknown',
        reason: UNKNOWN_REASONS.notConfirmed,
        error: `${result.error}: the provider may have accepted it; check its logs, then release the key if it was not sent`,
      };
    }
    await deps.store.ledger.settle(key, { status: 'failed', error: result.error }, settledAt);
    return { key, status: 'failed', error: result.error };
  } catch (error) {
    // The customer was erased during the send: erase moved the row away, and nothing is rewritten.
    if (!(error instanceof DeliveryNotFoundError)) throw error;
    return result.ok
      ? { key, status: 'sent', providerMessageId: result.providerMessageId }
      : { key, status: 'failed', error: 'customer erased during the send' };
  }
}

/**
 * Why a reserve was refused, from the row itself: `sent` → already-sent. `unknown`, or `reserved` by
 * this run (an earlier attempt of this batch died after reserving) or under a lease that ran out on
 * the ledger's wall clock → the ledger marks it `unknown` and so does the report
 * (`reserved-not-confirmed`). A live reservation of another run is a concurrent send in flight: we
 * wait briefly for it to settle so the report says what happened, and call it `unknown`
 * (`reserved-in-flight`) if it does not. `sent` only when this run's own earlier attempt sent it.
 */
async function heldOutcome(
  deps: SendBatchDeps,
  touch: PlannedTouch,
  runId: string,
  now: Date,
): Promise<Outcome | 'released'> {
  const key = keyOf(touch);
  const sleep = deps.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    const row = await deps.store.ledger.getDelivery(key);
    if (!row) return 'released';
    // This run's own earlier attempt of the batch sent it (it stopped before its time ran out).
    if (row.status === 'sent' && row.runId === runId)
      return {
        key,
        status: 'sent',
        ...(row.providerMessageId !== undefined && { providerMessageId: row.providerMessageId }),
      };
    if (row.status === 'sent') return { key, status: 'suppressed', reason: 'already-sent' };
    if (row.status !== 'reserved' && row.status !== 'unknown') return 'released';
    const reserved = `reserved by run ${row.runId} at ${row.leasedAt ?? row.updatedAt}`;
    if (await deps.store.ledger.markUnknown(row, row.runId === runId, now.toISOString()))
      return {
        key,
        status: 'unknown',
        reason: UNKNOWN_REASONS.notConfirmed,
        error: `${reserved} and never confirmed: check the provider's logs, then release the key if it was not sent`,
      };
    const wait = SETTLE_WAITS_MS[attempt];
    if (wait === undefined)
      return {
        key,
        status: 'unknown',
        reason: UNKNOWN_REASONS.inFlight,
        error: `${reserved}, not settled yet: that run may still be sending it`,
      };
    await sleep(wait);
  }
}

async function deliver(
  deps: SendBatchDeps,
  touch: PlannedTouch,
  customer: Customer | undefined,
  campaign: Campaign | undefined,
  settings: Settings,
): Promise<SendResult> {
  const address = customer && customerAddress(customer, touch.channel);
  if (!customer || !campaign || !address)
    return { ok: false, retryable: false, error: 'customer or address gone' };
  // Names the customer, channel and the campaign's topic, encrypted (docs/consent.md).
  const link = unsubscribeUrl(deps.links.unsubscribeBaseUrl, deps.links.unsubscribeSecret, {
    customerId: customer.id,
    channel: touch.channel,
    topic: topicOf(campaign),
    issuedAt: deps.clock.now().toISOString(),
  });
  // A failure before the provider is called (a template renamed since planning) is a failed send:
  // the row settles `failed`, its key free. A throw from the provider call itself is not caught
  // here: the message may be out, so the row stays held (docs/exactly-once.md, the crash case).
  let message: Awaited<ReturnType<typeof renderMessage>>;
  try {
    message = await renderMessage(campaign, touch, {
      customer,
      ...(touch.contract && { contract: touch.contract }),
      ...(touch.event && { event: touch.event }),
      unsubscribeUrl: link,
      ...(settings.products && { products: settings.products }),
    });
  } catch (error) {
    return { ok: false, retryable: false, error: `not sent: ${errorText(error)}` };
  }
  const tags = { campaign: touch.campaignId, step: touch.stepId };
  if (touch.channel === 'email') {
    const subject = message.subject ?? campaign.name;
    // Multipart, in the house layout with the sender's footer (docs/messages.md).
    const body = composeEmail(
      { locale: message.locale, subject, text: message.text, html: message.html },
      { sender: settings.sender, unsubscribeUrl: link },
    );
    return deps.email.send({
      to: address,
      subject,
      text: body.text,
      html: body.html,
      ...(settings.sender?.fromName && { fromName: settings.sender.fromName }),
      unsubscribeUrl: link,
      tags,
      notAfter: touch.windowEnd,
    });
  }
  return deps.sms.send({
    to: address,
    text: message.text,
    messageType: campaign.smsType === 'transactional' ? 'TRANSACTIONAL' : 'PROMOTIONAL',
    tags,
    notAfter: touch.windowEnd,
  });
}
