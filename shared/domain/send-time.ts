// The send-time recheck (docs/send-time-checks.md): a run is planned up to ~36 hours before its
// last send, and in between a contract may renew, the customer may come back, an address may
// bounce, consent may be withdrawn. Just before a touch is sent, everything planning decided from
// facts that can change is decided again, from the facts as they are now, with planning's own
// functions (anchors.ts for whether the step is still due, contact-checks.ts for the rest).
import type { IndexedContract } from '../ports/due.js';
import { contractOccurrences, customerOccurrences, dueQuery, eventOccurrences } from './anchors.js';
import { type ContactReason, contactReason } from './contact-checks.js';
import type { Customer, Settings } from './documents.js';
import type { CampaignRecord, Occurrence, PlannedTouch } from './touch.js';

export type SendTimeReason = 'paused' | 'exited' | ContactReason | 'sending-paused';

/** The facts as they are at send time. */
export interface SendTimeFacts {
  record: Pick<CampaignRecord, 'campaign' | 'paused'> | undefined;
  customer: Customer;
  /** The customer's normalized address on the touch's channel now, if any. */
  address: string | undefined;
  settings: Settings;
  /** The touch's contract as it is now (contract-anchored steps); absent if it is gone. */
  contract?: IndexedContract;
  /** The customer's last-activity local date now (win-back steps); absent if none. */
  lastActivityDay?: string;
  suppressedAddresses: ReadonlySet<string>;
  /** The reputation guard has paused the touch's channel. */
  channelPaused: boolean;
}

/**
 * Whether the touch's occasion is still due on its due date with today's facts: the same anchor
 * functions planning used, fed the current contract, last activity, birthday or event.
 * A step removed from the campaign since planning is left to the send, which fails to render it.
 */
export function stillDue(touch: PlannedTouch, facts: SendTimeFacts): boolean {
  const campaign = facts.record?.campaign;
  const step = campaign?.steps.find((s) => s.id === touch.stepId);
  if (!campaign || !step) return true;
  const query = dueQuery(campaign.anchor, step.offsetDays, touch.dueDate, facts.settings.feb29);
  const customers = new Map([[facts.customer.id, facts.customer]]);
  let occurrences: Occurrence[];
  switch (query.kind) {
    case 'contractEnd':
    case 'contractStart':
      if (!touch.contract) return true; // planned without its record: nothing to recheck against
      occurrences = contractOccurrences(
        campaign.anchor,
        query,
        facts.contract ? [facts.contract] : [],
        customers,
      );
      break;
    case 'lastActivity':
      // The day index applies activity events; a customer active since has another anchor day.
      occurrences = customerOccurrences(query, facts.lastActivityDay === query.day ? [facts.customer] : []);
      break;
    case 'birthday':
      occurrences = customerOccurrences(query, [facts.customer], facts.settings.feb29);
      break;
    case 'event':
      // Events never change; the customer's zone might have.
      if (!touch.event) return true;
      occurrences = eventOccurrences(query, [touch.event], customers);
      break;
  }
  return occurrences.some((o) => o.occasion === touch.occasion);
}

/** Why the touch must not go out now, in planning's order (an exit first), or undefined to send it. */
export function sendTimeReason(touch: PlannedTouch, facts: SendTimeFacts): SendTimeReason | undefined {
  // An occasion that is no longer due would not have been planned at all, paused or not.
  if (!stillDue(touch, facts)) return 'exited';
  if (!facts.record || facts.record.paused) return 'paused';
  const contact = contactReason({
    campaign: facts.record.campaign,
    customer: facts.customer,
    channel: touch.channel,
    address: facts.address,
    suppressedAddresses: facts.suppressedAddresses,
  });
  if (contact) return contact;
  if (facts.channelPaused) return 'sending-paused';
  return undefined;
}
