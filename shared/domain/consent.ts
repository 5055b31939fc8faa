// Consent: what a customer agreed to receive, by channel and by topic, and the append-only history
// of every change with its source and evidence (docs/consent.md). Pure: no AWS imports.
//
// Current consent lives in the customer document (`consent.email`, `consent.sms`, `consent.topics`),
// so planning reads it with the profile. Beside it the profile keeps, per slot (a channel or a topic),
// the latest change (`ConsentState`): it decides whether a change repeats the last one, and whether
// an import may overwrite an opt-out the customer made themselves.
import { createHash } from 'node:crypto';
import type { Channel } from './channels.js';

export type ConsentSource = 'import' | 'api' | 'unsubscribe-link' | 'sms-keyword' | 'complaint' | 'bounce';
export const CONSENT_SOURCES = [
  'import',
  'api',
  'unsubscribe-link',
  'sms-keyword',
  'complaint',
  'bounce',
] as const satisfies readonly ConsentSource[];

/**
 * Opt-outs the customer made themselves (or that their mailbox made for them): they stand against a
 * later import or API write that says otherwise, unless that record carries a later `consentUpdatedAt`.
 */
export const STANDING_SOURCES: ReadonlySet<ConsentSource> = new Set<ConsentSource>([
  'unsubscribe-link',
  'sms-keyword',
  'complaint',
]);

export interface ConsentChange {
  customerId: string;
  channel: Channel;
  /** A campaign's `category` (its id by default). Absent: the whole channel. */
  topic?: string;
  value: boolean;
  source: ConsentSource;
  /** ISO instant. */
  at: string;
  /** A message id, the SMS text, the import job… */
  evidence?: string;
}

/** One history entry as `customer show` and the export give it. */
export interface ConsentHistoryEntry {
  at: string;
  channel: Channel;
  topic?: string;
  value: boolean;
  source: ConsentSource;
  evidence?: string;
}

/** The latest change of one slot. `id` names the change without its time (see changeId). */
export interface SlotRecord {
  id: string;
  value: boolean;
  source: ConsentSource;
  at: string;
}
/** Latest change per slot: `channel:email`, `channel:sms`, `topic:<topic>`. */
export type ConsentState = Record<string, SlotRecord>;

/** Current consent as the customer document holds it. */
export interface CurrentConsent {
  email: boolean;
  sms: boolean;
  topics?: Record<string, boolean>;
}

export const slotOf = (channel: Channel, topic?: string): string =>
  topic === undefined ? `channel:${channel}` : `topic:${topic}`;

/**
 * A change without its time: the same customer, channel, topic, value, source and evidence give the
 * same id, so a redelivered complaint or a second click repeats, not adds, a change.
 */
export function changeId(change: Omit<ConsentChange, 'at'>): string {
  const parts = [
    change.customerId,
    change.channel,
    change.topic ?? '',
    String(change.value),
    change.source,
    change.evidence ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** The topic a campaign's messages belong to: its `category`, else its id. */
export const topicOf = (campaign: { id: string; category?: string | undefined }): string =>
  campaign.category ?? campaign.id;

/** Whether current consent allows a message of this topic on this channel. */
export function consentAllows(consent: CurrentConsent, channel: Channel, topic: string): boolean {
  if (!consent[channel]) return false;
  const topics = consent.topics;
  return !(topics && Object.hasOwn(topics, topic) && topics[topic] === false);
}

export type ChangeOutcome =
  | { kind: 'unchanged' }
  | { kind: 'applied'; consent: CurrentConsent; state: ConsentState; entry: ConsentHistoryEntry };

/**
 * Applies one change to current consent. The same change as the slot's latest (same id) is
 * `unchanged`; anything else is appended, even when the value stays (a complaint after an import's
 * opt-out is evidence, and makes the opt-out the customer's own).
 */
export function applyChange(
  consent: CurrentConsent,
  state: ConsentState,
  change: ConsentChange,
): ChangeOutcome {
  const slot = slotOf(change.channel, change.topic);
  const id = changeId(change);
  const latest = Object.hasOwn(state, slot) ? state[slot] : undefined;
  if (latest?.id === id) return { kind: 'unchanged' };
  const next: CurrentConsent =
    change.topic === undefined
      ? { ...consent, [change.channel]: change.value }
      : { ...consent, topics: { ...(consent.topics ?? {}), [change.topic]: change.value } };
  return {
    kind: 'applied',
    consent: next,
    state: { ...state, [slot]: { id, value: change.value, source: change.source, at: change.at } },
    entry: entryOf(change),
  };
}

export function entryOf(change: ConsentChange): ConsentHistoryEntry {
  return {
    at: change.at,
    channel: change.channel,
    ...(change.topic !== undefined && { topic: change.topic }),
    value: change.value,
    source: change.source,
    ...(change.evidence !== undefined && { evidence: change.evidence }),
  };
}

export interface ImportedConsent {
  /** The consent the store keeps: the record's, except opt-outs that stand. */
  consent: CurrentConsent;
  state: ConsentState;
  /** Changes to append to the history (channels whose value the record changed). */
  entries: ConsentHistoryEntry[];
  /** The record asked to resubscribe a channel the customer opted out of themselves, and was not followed. */
  keptOptedOut: boolean;
}

/**
 * The precedence rule of a bulk import or an API write of a customer (docs/consent.md): per channel,
 * an opt-out from a standing source stays unless the record carries a `consentUpdatedAt` later than
 * that opt-out; otherwise the record's value holds, and a change against the previous value is
 * recorded with `source` at `consentUpdatedAt` (or `now`). Topics are not in the document: they stay.
 * A new customer's first consent is their starting point, not a change.
 */
export function mergeRecordConsent(
  previous: { consent: CurrentConsent; state: ConsentState } | undefined,
  record: { id: string; consent: { email: boolean; sms: boolean }; consentUpdatedAt?: string | undefined },
  opts: { source: 'import' | 'api'; now: string; evidence?: string },
): ImportedConsent {
  const topics = previous?.consent.topics;
  const consent: CurrentConsent = {
    email: record.consent.email,
    sms: record.consent.sms,
    ...(topics && Object.keys(topics).length > 0 && { topics: { ...topics } }),
  };
  if (!previous) return { consent, state: {}, entries: [], keptOptedOut: false };
  let state = { ...previous.state };
  const entries: ConsentHistoryEntry[] = [];
  let keptOptedOut = false;
  // One form of instant (UTC, milliseconds), so the history sorts by its text.
  const at = new Date(record.consentUpdatedAt ?? opts.now).toISOString();
  for (const channel of ['email', 'sms'] as const) {
    const slot = slotOf(channel);
    const latest = Object.hasOwn(state, slot) ? state[slot] : undefined;
    const wanted = record.consent[channel];
    const stands =
      wanted &&
      latest !== undefined &&
      !latest.value &&
      STANDING_SOURCES.has(latest.source) &&
      !(record.consentUpdatedAt !== undefined && Date.parse(record.consentUpdatedAt) > Date.parse(latest.at));
    if (stands) {
      consent[channel] = false;
      keptOptedOut = true;
      continue;
    }
    if (wanted === previous.consent[channel]) continue;
    const change: ConsentChange = {
      customerId: record.id,
      channel,
      value: wanted,
      source: opts.source,
      at,
      ...(opts.evidence !== undefined && { evidence: opts.evidence }),
    };
    state = { ...state, [slot]: { id: changeId(change), value: wanted, source: opts.source, at } };
    entries.push(entryOf(change));
  }
  return { consent, state, entries, keptOptedOut };
}

/** Tallies what imports and API writes did to consent (the import reports it). */
export interface ConsentTally {
  keptOptedOut: number;
}
