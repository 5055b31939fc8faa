// A campaign's goal (what counts as its conversion) and last-touch attribution (docs/attribution.md).
// Pure: the use case (shared/usecases/results/attribute.ts) reads a customer's own ledger rows of the
// campaign and hands them here; the property test recomputes the same thing over a whole ledger.
import * as z from 'zod';
import { addDays, localDate } from './calendar.js';
import type { Contract, CustomerEvent } from './documents.js';
import { boundedId, MAX_TYPE_BYTES } from './limits.js';
import type { Delivery } from './touch.js';

/** A goal's window when the campaign names none: a conversion within 30 days of the touch. */
export const DEFAULT_GOAL_DAYS = 30;
/** The longest window a goal may name (a year and a day: yearly renewals). */
export const MAX_GOAL_DAYS = 366;
/** How many event types (and `sms.reply` keywords) a goal may list. */
export const MAX_GOAL_TYPES = 50;

const withinDays = z.number().int().min(0).max(MAX_GOAL_DAYS).default(DEFAULT_GOAL_DAYS);

export const goalSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('contractRenewed'), withinDays }),
  z.strictObject({
    type: z.literal('event'),
    eventTypes: z.array(boundedId(MAX_TYPE_BYTES)).min(1).max(MAX_GOAL_TYPES),
    /**
     * Only events whose `data.keyword` is one of these (compared upper case): an `sms.reply` carries
     * the reply's first word there (CONTRACT, two-way SMS). Absent: any event of the types.
     */
    keywords: z.array(boundedId(MAX_TYPE_BYTES)).min(1).max(MAX_GOAL_TYPES).optional(),
    withinDays,
  }),
  z.strictObject({ type: z.literal('activity'), withinDays }),
]);
export type Goal = z.infer<typeof goalSchema>;

/** Something that arrived and may be a campaign's conversion. */
export type Arrival =
  | { kind: 'event'; event: CustomerEvent; countsAsActivity: boolean }
  /** A contract written (import or API) at `at`; `anchored` finds another contract of the customer. */
  | { kind: 'contract'; contract: Contract; at: string };

/** The instant a conversion happened: an event's `occurredAt`, a contract's arrival. */
export const arrivalAt = (a: Arrival): string => (a.kind === 'event' ? a.event.occurredAt : a.at);
export const arrivalCustomer = (a: Arrival): string =>
  a.kind === 'event' ? a.event.customerId : a.contract.customerId;
/** The idempotency id of the conversion's source (an event id, or contract id + its end). */
export const arrivalId = (a: Arrival): string =>
  a.kind === 'event' ? `event:${a.event.id}` : `contract:${a.contract.id}:${a.contract.endDate}`;

/** Whether an event is the goal's conversion (contract goals are judged per touch: `renews`). */
export function eventMatches(goal: Goal, a: Extract<Arrival, { kind: 'event' }>): boolean {
  if (goal.type === 'activity') return a.countsAsActivity;
  if (goal.type !== 'event' || !goal.eventTypes.includes(a.event.type)) return false;
  if (!goal.keywords) return true;
  const keyword = a.event.data?.keyword;
  return typeof keyword === 'string' && goal.keywords.some((k) => k.toUpperCase() === keyword.toUpperCase());
}

/** The anchored contract of a `contractEnd` occasion (`<contract id>:<end date>`). */
export function anchoredContract(occasion: string): { contractId: string; endDate: string } | undefined {
  const i = occasion.lastIndexOf(':');
  if (i <= 0) return undefined;
  return { contractId: occasion.slice(0, i), endDate: occasion.slice(i + 1) };
}

/**
 * Whether `contract` renews the contract a touch was anchored on: it is that contract, now `renewed`
 * or ending later than the anchored end; or another (not cancelled) contract of the same customer and
 * product whose end is past the anchored end. `anchoredProduct` is the anchored contract's product
 * (needed only for another contract; undefined when it is gone).
 */
export function renews(
  contract: Contract,
  anchored: { contractId: string; endDate: string },
  anchoredProduct: string | undefined,
): boolean {
  if (contract.id === anchored.contractId)
    return (
      contract.status === 'renewed' || (contract.status === 'active' && contract.endDate > anchored.endDate)
    );
  return (
    contract.status !== 'cancelled' &&
    contract.product === anchoredProduct &&
    contract.endDate > anchored.endDate
  );
}

/**
 * Whether a ledger row can take a conversion at all: a touch the campaign decided for the customer,
 * sent or not (intent to treat), or held out. `paused` rows decided nothing (checked before holdout).
 */
export const isExposure = (row: { status: string; reason?: string | undefined }): boolean =>
  !(row.status === 'suppressed' && row.reason === 'paused');

/** The group a row puts its customer in: the holdout is recorded at plan time as reason `holdout`. */
export const groupOf = (row: { status: string; reason?: string | undefined }): 'treated' | 'holdout' =>
  row.status === 'suppressed' && row.reason === 'holdout' ? 'holdout' : 'treated';

/** The local day a row's touch goes out on (a caught-up touch: its send day). */
const touchDay = (row: Pick<Delivery, 'dueDate' | 'sendDate'>): string => row.sendDate ?? row.dueDate;

/**
 * The touch a conversion at `at` goes to: of `rows` (one campaign's ledger rows of the customer), the
 * exposures sent (or due) at or before `at` whose local day is at most `withinDays` before the
 * conversion's local day in the customer's zone, the latest by `sendAt`; ties go to the later step
 * (`stepOrder`), then channel, then occasion, so every recomputation picks the same row.
 */
export function lastTouchBefore<R extends Delivery>(
  rows: readonly R[],
  at: string,
  withinDays: number,
  timeZone: string,
  stepOrder: readonly string[],
): R | undefined {
  const atMs = Date.parse(at);
  const earliestDay = addDays(localDate(at, timeZone), -withinDays);
  let best: R | undefined;
  for (const row of rows) {
    if (!isExposure(row) || Date.parse(row.sendAt) > atMs || touchDay(row) < earliestDay) continue;
    if (!best || later(row, best, stepOrder)) best = row;
  }
  return best;
}

function later(a: Delivery, b: Delivery, stepOrder: readonly string[]): boolean {
  const t = Date.parse(a.sendAt) - Date.parse(b.sendAt);
  if (t !== 0) return t > 0;
  const s = stepOrder.indexOf(a.stepId) - stepOrder.indexOf(b.stepId);
  if (s !== 0) return s > 0;
  if (a.channel !== b.channel) return a.channel > b.channel;
  return a.occasion > b.occasion;
}
