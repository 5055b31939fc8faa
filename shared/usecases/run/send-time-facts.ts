// The facts a batch rechecks its touches against just before sending (docs/send-time-checks.md):
// read once per batch, a batch read per kind, never per touch. The decision itself is the domain's
// sendTimeReason, built from the planner's own checks.
import { customerAddress } from '../../domain/addresses.js';
import type { Customer, Settings } from '../../domain/documents.js';
import type { GuardedChannel } from '../../domain/reputation.js';
import { type SendTimeReason, sendTimeReason } from '../../domain/send-time.js';
import type { CampaignRecord, PlannedTouch } from '../../domain/touch.js';
import type { IndexedContract } from '../../ports/due.js';
import type { Stores } from '../../store/stores.js';

export type SendTimeStores = Pick<Stores, 'due' | 'suppression' | 'reputation'>;

export interface SendTimeChecks {
  /** Why the touch must not go out now, or undefined to send it. */
  reasonFor(
    touch: PlannedTouch,
    customer: Customer,
    record: Pick<CampaignRecord, 'campaign' | 'paused'> | undefined,
  ): SendTimeReason | undefined;
  /** The touch with its anchor record as it is now, so the message renders from current data. */
  current(touch: PlannedTouch): PlannedTouch;
}

export async function loadSendTimeChecks(
  store: SendTimeStores,
  touches: readonly PlannedTouch[],
  customers: ReadonlyMap<string, Customer>,
  campaigns: ReadonlyMap<string, Pick<CampaignRecord, 'campaign'>>,
  settings: Settings,
): Promise<SendTimeChecks> {
  const addresses = new Set<string>();
  const contractIds = new Set<string>();
  const winBackCustomers = new Set<string>();
  const channels = new Set<GuardedChannel>();
  for (const t of touches) {
    const customer = customers.get(t.customerId);
    const address = customer && customerAddress(customer, t.channel);
    if (address) addresses.add(address);
    if (t.contract) contractIds.add(t.contract.id);
    if (campaigns.get(t.campaignId)?.campaign.anchor.type === 'lastActivity')
      winBackCustomers.add(t.customerId);
    channels.add(t.channel);
  }
  const [suppressed, contracts, lastActivity, states] = await Promise.all([
    addresses.size ? store.suppression.suppressedAmong([...addresses]) : new Set<string>(),
    contractIds.size ? store.due.getContracts([...contractIds]) : new Map<string, IndexedContract>(),
    winBackCustomers.size ? store.due.lastActivityDays([...winBackCustomers]) : new Map<string, string>(),
    Promise.all([...channels].map((c) => store.reputation.state(c))),
  ]);
  const paused = new Set(states.filter((s) => s.paused).map((s) => s.channel));
  return {
    reasonFor(touch, customer, record) {
      const contract = touch.contract && contracts.get(touch.contract.id);
      const lastActivityDay = lastActivity.get(customer.id);
      return sendTimeReason(touch, {
        record,
        customer,
        address: customerAddress(customer, touch.channel),
        settings,
        ...(contract && { contract }),
        ...(lastActivityDay !== undefined && { lastActivityDay }),
        suppressedAddresses: suppressed,
        channelPaused: paused.has(touch.channel),
      });
    },
    current(touch) {
      const contract = touch.contract && contracts.get(touch.contract.id);
      return contract ? { ...touch, contract } : touch;
    },
  };
}
