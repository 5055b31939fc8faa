// The unsubscribe link's capabilities (docs/consent.md): one-click opt-out (RFC 8058), and the
// preference page's view and changes. The token alone authorizes them: it names customer, channel
// and topic, and a forged or altered one is refused before anything is read or written.
import { CHANNELS, type Channel } from '../../domain/channels.js';
import { type ConsentChange, topicOf } from '../../domain/consent.js';
import { mayResubscribe, type UnsubscribeSubject, verifyUnsubscribeToken } from '../../domain/unsubscribe.js';
import type { Clock } from '../../ports/clock.js';
import type { Stores } from '../../store/stores.js';
import { countOptOut } from '../results/count-feedback.js';
import { recordConsentChange } from './record.js';

export type PreferenceDeps = {
  /** `ledger` and `results`: an opt-out counts `unsubscribed` on the message's row (docs/cost.md). */
  store: Pick<Stores, 'consent' | 'customers' | 'campaigns' | 'ledger' | 'results'>;
  clock: Clock;
  /** The stack-generated key that signs the links. */
  secret: string;
};

export type PageLocale = 'en-US' | 'zh-CN';

/** What the page shows: no name, no address; only what the choices need. */
export interface PreferenceView {
  locale: PageLocale;
  channel: Channel;
  /** The topic of the message the link came in. */
  topic: string;
  /** False when the customer is no longer held (erased): nothing to show or change. */
  known: boolean;
  channelSubscribed: boolean;
  topics: { id: string; label: string; subscribed: boolean }[];
  /** The link is recent enough to opt back in (opting out never expires). */
  mayResubscribe: boolean;
}

export type PreferenceAction =
  /** RFC 8058: the body `List-Unsubscribe=One-Click`. Opts out of the link's topic. */
  | { kind: 'one-click' }
  /** The page's confirm button: the link's topic off. */
  | { kind: 'topic-off' }
  /** Every message on this channel off. */
  | { kind: 'channel-off' }
  /** The channel and the link's topic back on. */
  | { kind: 'resubscribe' }
  /** Exactly these topics on, the page's other topics off. */
  | { kind: 'topics'; subscribed: readonly string[] };

export type LinkOutcome =
  | { ok: true; view: PreferenceView; changed: number }
  | { ok: false; reason: 'invalid-link' }
  /** An opt-in through a link older than RESUBSCRIBE_LINK_DAYS: nothing changed. */
  | { ok: false; reason: 'too-old-to-resubscribe'; view: PreferenceView };

const pageLocale = (locale: string | undefined): PageLocale =>
  locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';

/** The page for a link; nothing changes (a GET: mail scanners follow links). */
export async function openPreferences(deps: PreferenceDeps, token: string): Promise<LinkOutcome> {
  const check = verifyUnsubscribeToken(deps.secret, token);
  if (!check.ok) return { ok: false, reason: 'invalid-link' };
  return { ok: true, view: await viewOf(deps, check.subject), changed: 0 };
}

/** Applies a choice made through a link; idempotent (the same choice again changes nothing). */
export async function changePreferences(
  deps: PreferenceDeps,
  token: string,
  action: PreferenceAction,
): Promise<LinkOutcome> {
  const check = verifyUnsubscribeToken(deps.secret, token);
  if (!check.ok) return { ok: false, reason: 'invalid-link' };
  const subject = check.subject;
  const before = await viewOf(deps, subject);
  if (!before.known) return { ok: true, view: before, changed: 0 };
  const wanted = changesFor(before, action);
  if (wanted.some((w) => w.value) && !before.mayResubscribe)
    return { ok: false, reason: 'too-old-to-resubscribe', view: before };
  const at = deps.clock.now().toISOString();
  const evidence = `${action.kind === 'one-click' ? 'one-click' : 'preference page'}; link of ${subject.issuedAt}`;
  let changed = 0;
  for (const w of wanted) {
    const change: ConsentChange = {
      customerId: subject.customerId,
      channel: subject.channel,
      ...(w.topic !== undefined && { topic: w.topic }),
      value: w.value,
      source: 'unsubscribe-link',
      at,
      evidence,
    };
    if ((await recordConsentChange(deps, change)) === 'applied') changed += 1;
  }
  // An opt-out counts on the funnel of the message whose link it was, once per message.
  if (wanted.some((w) => !w.value))
    await countOptOut(
      {
        store: deps.store,
        topicOf: async (id) => {
          const record = await deps.store.campaigns.getCampaign(id);
          return record && topicOf(record.campaign);
        },
      },
      {
        customerId: subject.customerId,
        channel: subject.channel,
        topic: subject.topic,
        near: subject.issuedAt,
      },
    );
  return { ok: true, view: await viewOf(deps, subject), changed };
}

/** The changes an action asks for against the current view (only those that change a value). */
function changesFor(view: PreferenceView, action: PreferenceAction): { topic?: string; value: boolean }[] {
  const topicIs = (id: string) => view.topics.find((t) => t.id === id)?.subscribed ?? true;
  switch (action.kind) {
    case 'one-click':
    case 'topic-off':
      // Recorded even when already off by an import: the opt-out becomes the customer's own.
      return [{ topic: view.topic, value: false }];
    case 'channel-off':
      return [{ value: false }];
    case 'resubscribe':
      return [
        ...(view.channelSubscribed ? [] : [{ value: true }]),
        ...(topicIs(view.topic) ? [] : [{ topic: view.topic, value: true }]),
      ];
    case 'topics': {
      const on = new Set(action.subscribed);
      return view.topics
        .filter((t) => on.has(t.id) !== t.subscribed)
        .map((t) => ({ topic: t.id, value: on.has(t.id) }));
    }
  }
}

async function viewOf(deps: PreferenceDeps, subject: UnsubscribeSubject): Promise<PreferenceView> {
  const [customer, campaigns] = await Promise.all([
    deps.store.customers.getCustomer(subject.customerId),
    deps.store.campaigns.listCampaigns(),
  ]);
  const labels = new Map<string, string[]>();
  for (const { campaign } of campaigns) {
    const t = topicOf(campaign);
    labels.set(t, [...(labels.get(t) ?? []), campaign.name]);
  }
  const current = customer?.consent.topics ?? {};
  const ids = [...new Set([subject.topic, ...labels.keys(), ...Object.keys(current)])].sort();
  const channel = CHANNELS.includes(subject.channel) ? subject.channel : 'email';
  return {
    locale: pageLocale(customer?.locale),
    channel,
    topic: subject.topic,
    known: customer !== undefined,
    channelSubscribed: customer?.consent[channel] ?? false,
    topics: ids.map((id) => ({
      id,
      label: labels.get(id)?.join(' / ') ?? id,
      subscribed: !(Object.hasOwn(current, id) && current[id] === false),
    })),
    mayResubscribe: mayResubscribe(subject, deps.clock.now()),
  };
}
