// Pure views of campaign documents for the pages: a tolerant summary of whatever parses (the editor
// shows it while the document is still wrong), the locales a template has, a line diff of two
// versions, and an SMS text's segments (the same count the server's cost and checks use).
import { diffLines } from 'diff';
import * as z from 'zod';
import { type SmsSegments, smsSegments } from '../../../../shared/domain/sms-segments.js';

const text = z.string().optional().catch(undefined);
const num = z.number().optional().catch(undefined);

const stepSummary = z.object({
  id: z.string(),
  offsetDays: z.number(),
  template: z.string(),
  channels: z.record(z.string(), z.array(z.string())).catch({}),
});
export type StepSummary = z.infer<typeof stepSummary>;

const perLocale = z.record(z.string(), z.unknown());
const templateSummary = z
  .object({ email: perLocale.optional().catch(undefined), sms: perLocale.optional().catch(undefined) })
  .catch({});

export const summarySchema = z.object({
  id: text,
  name: text,
  priority: num,
  anchor: z
    .object({ type: z.string(), products: z.array(z.string()).optional(), eventType: z.string().optional() })
    .optional()
    .catch(undefined),
  steps: z
    .array(z.unknown())
    .catch([])
    .transform((steps) => steps.flatMap((s) => stepSummary.safeParse(s).data ?? [])),
  sendWindow: z.object({ start: z.string(), end: z.string() }).optional().catch(undefined),
  frequencyCap: z.object({ max: z.number(), perDays: z.number() }).optional().catch(undefined),
  holdoutPercent: num,
  exit: z.array(z.string()).optional().catch(undefined),
  fallbackLocale: text,
  templates: z.record(z.string(), templateSummary).catch({}),
});
export type CampaignSummary = z.infer<typeof summarySchema>;

export const summarize = (doc: unknown): CampaignSummary =>
  summarySchema.parse(typeof doc === 'object' && doc !== null ? doc : {});

export type ChannelName = 'email' | 'sms';
export const CHANNEL_NAMES: readonly ChannelName[] = ['email', 'sms'];

/** The locales a template has on a channel, sorted. */
export function templateLocales(summary: CampaignSummary, template: string, channel: ChannelName): string[] {
  const t = Object.hasOwn(summary.templates, template) ? summary.templates[template] : undefined;
  return Object.keys(t?.[channel] ?? {}).sort();
}

/** The channels a template has a version for. */
export function templateChannels(summary: CampaignSummary, template: string): ChannelName[] {
  return CHANNEL_NAMES.filter((ch) => templateLocales(summary, template, ch).length > 0);
}

export interface DiffLine {
  /** `+` added in the newer, `-` removed from the older, ` ` in both. */
  sign: '+' | '-' | ' ';
  text: string;
}

/** Two documents as pretty JSON, line by line. */
export function diffDocuments(
  older: unknown,
  newer: unknown,
): { lines: DiffLine[]; added: number; removed: number } {
  const a = `${JSON.stringify(older, null, 2)}\n`;
  const b = `${JSON.stringify(newer, null, 2)}\n`;
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const change of diffLines(a, b)) {
    const sign = change.added ? '+' : change.removed ? '-' : ' ';
    const parts = change.value.replace(/\n$/, '').split('\n');
    for (const part of parts) lines.push({ sign, text: part });
    if (change.added) added += parts.length;
    if (change.removed) removed += parts.length;
  }
  return { lines, added, removed };
}

export const segmentsOf = (sms: string): SmsSegments => smsSegments(sms);
