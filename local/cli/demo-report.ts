// What `npm start` prints for each day of the demo, so a newcomer can check the planner against the
// demo data by eye: every send at its local time (the customer's zone, named) beside UTC, with the
// tier, locale and what the customer reads (an email's subject, an SMS's first words); and every
// touch the run suppressed, grouped by reason. Pure: the demo command gathers the inputs.
import { DateTime } from 'luxon';
import { table } from './output.js';

/** The fields of a run report's touch that the demo shows (shared/usecases/run/summarize-run.ts). */
export interface DemoTouch {
  campaignId: string;
  stepId: string;
  customerId: string;
  channel: string;
  tier: string;
  locale: string;
  sendAt: string;
  address?: string;
  outcome: string;
  outcomeReason?: string;
  providerMessageId?: string;
}

/** What the local email or SMS server received for a message id (local/stack/outbox.ts). */
export interface ReceivedMessage {
  subject?: string;
  text?: string;
}

export interface DemoDayInput {
  touches: readonly DemoTouch[];
  /** Customer id → IANA zone. */
  zones: ReadonlyMap<string, string>;
  /** Provider message id → what the server received. */
  received: ReadonlyMap<string, ReceivedMessage>;
}

const UTC_FORMAT = "yyyy-MM-dd HH:mm 'UTC'";

export function utcTime(sendAt: string): string {
  return DateTime.fromISO(sendAt, { zone: 'utc' }).toFormat(UTC_FORMAT);
}

/** "2026-11-26 09:00 Asia/Shanghai (UTC+8)": the zone named, and its offset on that day. */
export function localTime(sendAt: string, zone: string | undefined): string {
  if (zone === undefined) return '(zone unknown)';
  const local = DateTime.fromISO(sendAt, { zone: 'utc' }).setZone(zone);
  if (!local.isValid) return `(invalid zone ${zone})`;
  return `${local.toFormat('yyyy-MM-dd HH:mm')} ${zone} (UTC${local.toFormat('Z')})`;
}

/** The first words of a text on one line, cut at a word boundary. */
export function firstWords(text: string, maxChars = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  // Text without spaces (Chinese, for one) is cut by characters.
  return `${space > maxChars / 2 ? cut.slice(0, space) : cut}…`;
}

function whatTheyRead(touch: DemoTouch, received: ReadonlyMap<string, ReceivedMessage>): string {
  const message = touch.providerMessageId === undefined ? undefined : received.get(touch.providerMessageId);
  if (!message) return '(not found in the outbox)';
  if (touch.channel === 'email') return message.subject ?? '(no subject)';
  return firstWords(message.text ?? '');
}

export const SENT_COLUMNS = [
  'utc',
  'local time',
  'tier',
  'locale',
  'customer',
  'channel',
  'campaign/step',
  'subject / first words',
] as const;

/** The day's sends as a table, in the order they go out. */
export function sentTable({ touches, zones, received }: DemoDayInput): string {
  const rows = touches
    .filter((t) => t.outcome === 'sent')
    .sort((a, b) => a.sendAt.localeCompare(b.sendAt))
    .map((t) => ({
      utc: utcTime(t.sendAt),
      'local time': localTime(t.sendAt, zones.get(t.customerId)),
      tier: t.tier,
      locale: t.locale,
      customer: t.customerId,
      channel: t.channel,
      'campaign/step': `${t.campaignId}/${t.stepId}`,
      'subject / first words': whatTheyRead(t, received),
    }));
  return table(rows, SENT_COLUMNS);
}

/** "suppressed" when every touch that did not go out was suppressed by planning, as in the demo. */
export function notSentHeading(touches: readonly DemoTouch[]): 'suppressed' | 'not sent' {
  return touches.every((t) => t.outcome === 'suppressed' || t.outcome === 'sent') ? 'suppressed' : 'not sent';
}

/** The reason a touch did not go out: planning's suppression reason, or the send's outcome. */
const reasonOf = (t: DemoTouch): string => t.outcomeReason ?? t.outcome;

/**
 * The touches that did not go out, one line per reason (most frequent first), each naming its
 * touches as campaign/step customer channel, so a line stays short enough to read.
 */
export function notSentLines(touches: readonly DemoTouch[], maxListed = 4): string[] {
  const byReason = new Map<string, DemoTouch[]>();
  for (const t of touches) {
    if (t.outcome === 'sent') continue;
    byReason.set(reasonOf(t), [...(byReason.get(reasonOf(t)) ?? []), t]);
  }
  return [...byReason.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .map(([reason, list]) => {
      const named = list
        .slice(0, maxListed)
        .map((t) => `${t.campaignId}/${t.stepId} ${t.customerId} ${t.channel}`)
        .join(', ');
      const more = list.length > maxListed ? `, +${list.length - maxListed} more` : '';
      return `  ${reason} (${list.length}): ${named}${more}`;
    });
}

/** "holdout 2, no-consent 3": every reason over the whole demo, most frequent first. */
export function reasonTotals(touches: readonly DemoTouch[]): string {
  const counts = new Map<string, number>();
  for (const t of touches)
    if (t.outcome !== 'sent') counts.set(reasonOf(t), (counts.get(reasonOf(t)) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}
