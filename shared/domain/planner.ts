// The pure planner: given what is due on local date D and what the ledger already holds, decide
// every touch of the day and why any is not sent. Same input, same output, in a fixed order —
// the order decides who is frequency-capped, so it is part of the contract.
import { customerAddress, InvalidAddressError } from './addresses.js';
import { inAudience } from './audience.js';
import { addDays, sendWindowUtc } from './calendar.js';
import { contactReason } from './contact-checks.js';
import type { Campaign, Channel, Customer, Settings, Step } from './documents.js';
import { isHeldOut } from './holdout.js';
import { quietHoursFor, withinQuietHours } from './quiet-hours.js';
import { tierOf } from './tiers.js';
import {
  type Delivery,
  type DeliveryStatus,
  type Occurrence,
  type PlannedTouch,
  type SuppressionReasonCode,
  type TouchKey,
  touchKeyString,
} from './touch.js';

export interface CampaignToPlan {
  campaign: Campaign;
  paused: boolean;
  /** Due occurrences per step id. */
  dueByStep: Map<string, Occurrence[]>;
}

export interface PlanInput {
  /** The local date D. */
  date: string;
  /**
   * The local date the touches go out on, when later than D (catch-up, docs/scheduling.md): they keep
   * D as their due date and occasion, are timed into this date's send window, and count for caps
   * on it, as everything counts on the day it goes out.
   */
  sendDate?: string;
  settings: Settings;
  campaigns: CampaignToPlan[];
  /** Existing ledger rows for candidate keys, by touchKeyString. */
  ledger: Map<string, Delivery>;
  /**
   * Send days (`capDate`) of counted (sent/reserved/unknown) ledger messages; may cover more days than a
   * cap's window.
   */
  countedDueDates: (customerId: string, channel: Channel) => string[];
  /** Normalized addresses on the suppression list. */
  suppressedAddresses: ReadonlySet<string>;
}

/** Ledger states that mean the touch went out or may have: never send that key again. */
const HOLDS_KEY: ReadonlySet<DeliveryStatus> = new Set<DeliveryStatus>(['sent', 'reserved', 'unknown']);

export const byPlanningOrder = (a: Campaign, b: Campaign): number =>
  b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const compareOccurrences = (a: Occurrence, b: Occurrence): number => {
  const ca = a.customer.id;
  const cb = b.customer.id;
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.occasion < b.occasion ? -1 : a.occasion > b.occasion ? 1 : 0;
};

function safeAddress(customer: Customer, channel: Channel): string | undefined {
  try {
    return customerAddress(customer, channel);
  } catch (err) {
    // Documents are validated on import; a number that no longer parses is treated as no address.
    if (err instanceof InvalidAddressError) return undefined;
    throw err;
  }
}

const sendDateOf = (input: PlanInput): string => input.sendDate ?? input.date;

/** Counts touches planned earlier in this run, per customer and channel, across campaigns. */
class RunCounts {
  private readonly counts = new Map<string, number>();
  private static key = (customerId: string, channel: Channel): string => `${customerId}\u0000${channel}`;
  get(customerId: string, channel: Channel): number {
    return this.counts.get(RunCounts.key(customerId, channel)) ?? 0;
  }
  add(customerId: string, channel: Channel): void {
    const k = RunCounts.key(customerId, channel);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
}

interface Context {
  input: PlanInput;
  runCounts: RunCounts;
  seen: Set<string>;
}

function firstReason(
  ctx: Context,
  campaign: CampaignToPlan,
  key: TouchKey,
  customer: Customer,
  address: string | undefined,
  quietHoursClosed: boolean,
): SuppressionReasonCode | undefined {
  const { input } = ctx;
  const c = campaign.campaign;
  if (campaign.paused) return 'paused';
  if (isHeldOut(c.id, customer.id, c.holdoutPercent)) return 'holdout';
  const contact = contactReason({
    campaign: c,
    customer,
    channel: key.channel,
    address,
    suppressedAddresses: input.suppressedAddresses,
  });
  if (contact) return contact;
  const row = input.ledger.get(touchKeyString(key));
  if (row && HOLDS_KEY.has(row.status)) return 'already-sent';
  if (quietHoursClosed) return 'quiet-hours';
  if (c.frequencyCap) {
    // The perDays local days ending on the day this touch goes out.
    const { max, perDays } = c.frequencyCap;
    const sendDate = sendDateOf(input);
    const from = addDays(sendDate, -(perDays - 1));
    const inLedger = input
      .countedDueDates(customer.id, key.channel)
      .filter((d) => d >= from && d <= sendDate).length;
    if (inLedger + ctx.runCounts.get(customer.id, key.channel) + 1 > max) return 'frequency-cap';
  }
  return undefined;
}

/** The touch's send time: the window's, narrowed for an SMS by its phone country's quiet hours. */
function timingOf(
  input: PlanInput,
  customer: Customer,
  channel: Channel,
  address: string | undefined,
  window: { sendAt: string; windowEnd: string },
): { sendAt: string; windowEnd: string; closed: boolean } {
  const allowed = channel === 'sms' && address !== undefined && quietHoursFor(input.settings, address);
  if (!allowed) return { ...window, closed: false };
  return withinQuietHours(sendDateOf(input), customer.timeZone, window, allowed);
}

function planStep(ctx: Context, campaign: CampaignToPlan, step: Step, out: PlannedTouch[]): void {
  const c = campaign.campaign;
  const occurrences = [...(campaign.dueByStep.get(step.id) ?? [])].sort(compareOccurrences);
  for (const occ of occurrences) {
    const { customer } = occ;
    const tier = tierOf(customer.monthlyValue, ctx.input.settings.tiers);
    if (tier === undefined || !inAudience(customer, tier, c.audience)) continue;
    const channels = step.channels[tier];
    if (!channels || channels.length === 0) continue;
    const window = sendWindowUtc(sendDateOf(ctx.input), customer.timeZone, c.sendWindow);
    for (const channel of channels) {
      const key: TouchKey = {
        campaignId: c.id,
        stepId: step.id,
        customerId: customer.id,
        channel,
        occasion: occ.occasion,
      };
      const keyString = touchKeyString(key);
      if (ctx.seen.has(keyString)) continue; // the same occurrence read twice is one touch
      ctx.seen.add(keyString);
      const address = safeAddress(customer, channel);
      const timing = timingOf(ctx.input, customer, channel, address, window);
      const reason = firstReason(ctx, campaign, key, customer, address, timing.closed);
      const touch: PlannedTouch = {
        ...key,
        tier,
        locale: customer.locale,
        dueDate: ctx.input.date,
        ...(sendDateOf(ctx.input) !== ctx.input.date && { sendDate: sendDateOf(ctx.input) }),
        sendAt: timing.sendAt,
        windowEnd: timing.windowEnd,
        status: reason ? 'suppressed' : 'planned',
        template: step.template,
      };
      if (reason) touch.reason = reason;
      if (address !== undefined) touch.address = address;
      if (occ.contract) touch.contract = occ.contract;
      if (occ.event) touch.event = occ.event;
      touch.seq = out.length;
      if (!reason) ctx.runCounts.add(customer.id, channel);
      out.push(touch);
    }
  }
}

/** Every touch of local date D, planned or suppressed with its first reason, in planning order. */
export function planDay(input: PlanInput): PlannedTouch[] {
  const ctx: Context = { input, runCounts: new RunCounts(), seen: new Set() };
  const out: PlannedTouch[] = [];
  const campaigns = [...input.campaigns].sort((a, b) => byPlanningOrder(a.campaign, b.campaign));
  for (const campaign of campaigns) {
    for (const step of campaign.campaign.steps) planStep(ctx, campaign, step, out);
  }
  return out;
}

/** The keys a plan for these occurrences could produce: what to fetch from the ledger before planDay. */
export function candidateKeys(campaigns: readonly CampaignToPlan[], settings: Settings): TouchKey[] {
  const keys: TouchKey[] = [];
  for (const { campaign, dueByStep } of campaigns) {
    for (const step of campaign.steps) {
      for (const occ of dueByStep.get(step.id) ?? []) {
        const tier = tierOf(occ.customer.monthlyValue, settings.tiers);
        if (tier === undefined || !inAudience(occ.customer, tier, campaign.audience)) continue;
        for (const channel of step.channels[tier] ?? [])
          keys.push({
            campaignId: campaign.id,
            stepId: step.id,
            customerId: occ.customer.id,
            channel,
            occasion: occ.occasion,
          });
      }
    }
  }
  return keys;
}
