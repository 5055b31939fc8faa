// What `touchpoint campaign validate` checks on top of the zod schema: the templates parse, use
// only variables that exist for the campaign's anchor, render with sample data, and SMS bodies are
// affordable and carry the signature Chinese carriers require. SMS length is counted with the
// longest name the edge accepts, so no customer's name can push a message past the limit later.
import type { Template } from 'liquidjs';
import type { Anchor, AnchorType, Campaign, Channel, Step } from './documents.js';
import { MAX_NAME_CHARS } from './limits.js';
import { smsSegments } from './sms-segments.js';
import { sampleScope, WORST_CASE_NAME, withCustomerName } from './template-samples.js';
import { engineFor, parseTemplate, type TemplateField } from './templates.js';

export interface CampaignIssue {
  path: (string | number)[];
  message: string;
}

export const MAX_SMS_SEGMENTS = 10;

/** A known shape: a leaf value, a free-form map (any keys), or named fields. */
type Shape = 'leaf' | 'free' | { readonly [field: string]: Shape };

const CUSTOMER: Shape = {
  id: 'leaf',
  name: 'leaf',
  email: 'leaf',
  phone: 'leaf',
  locale: 'leaf',
  timeZone: 'leaf',
  birthday: 'leaf',
  monthlyValue: 'leaf',
  tier: 'leaf',
  attributes: 'free',
};
const CONTRACT: Shape = {
  id: 'leaf',
  customerId: 'leaf',
  product: 'leaf',
  productName: 'leaf',
  startDate: 'leaf',
  endDate: 'leaf',
  status: 'leaf',
};
const EVENT: Shape = { id: 'leaf', customerId: 'leaf', type: 'leaf', occurredAt: 'leaf', data: 'free' };

/** Without a (valid) anchor, contract and event are allowed: only what no anchor has is reported. */
function rootsFor(anchor: AnchorType | undefined): Record<string, Shape> {
  const roots: Record<string, Shape> = {
    customer: CUSTOMER,
    campaign: { id: 'leaf', name: 'leaf' },
    step: { id: 'leaf', offsetDays: 'leaf' },
    occasion: 'leaf',
    unsubscribeUrl: 'leaf',
  };
  if (anchor === undefined || anchor === 'contractEnd' || anchor === 'contractStart')
    roots.contract = CONTRACT;
  if (anchor === undefined || anchor === 'event') roots.event = EVENT;
  return roots;
}

type Segments = ReadonlyArray<string | number | Segments>;

const formatPath = (segments: Segments): string =>
  segments
    .map((s, i) => (Array.isArray(s) ? `[${formatPath(s)}]` : i === 0 ? String(s) : `.${String(s)}`))
    .join('');

/** Why this variable path is not allowed, or undefined when it is. */
function variableProblem(
  segments: Segments,
  roots: Record<string, Shape>,
  anchor: AnchorType | undefined,
): string | undefined {
  const [root, ...rest] = segments;
  if (typeof root !== 'string') return `uses a variable that is not known: ${formatPath(segments)}`;
  let shape: Shape | undefined = roots[root];
  if (!shape) {
    if (root === 'contract')
      return `uses contract, which only campaigns anchored on contractEnd or contractStart have (this one: ${anchor})`;
    if (root === 'event')
      return `uses event, which only campaigns anchored on an event have (this one: ${anchor})`;
    return `uses an unknown variable ${formatPath(segments)}`;
  }
  for (const [i, seg] of rest.entries()) {
    if (shape === 'free') return undefined;
    if (shape === 'leaf') {
      // Liquid's `size` works on any string or number; nothing else lies below a leaf.
      if (seg === 'size' && i === rest.length - 1) return undefined;
      return `uses an unknown variable ${formatPath(segments)}`;
    }
    if (typeof seg !== 'string') return `looks up ${formatPath(segments)} by a computed name; name the field`;
    const next: Shape | undefined = Object.hasOwn(shape, seg) ? shape[seg] : undefined;
    if (!next) return `uses an unknown variable ${formatPath(segments)}`;
    shape = next;
  }
  return undefined;
}

const hasSignature = (text: string): boolean => /【[^】]+】/.test(text);
const isChinese = (locale: string): boolean => /^zh(-|$)/i.test(locale);

export interface FieldRef {
  name: string;
  channel: Channel;
  locale: string;
  field: TemplateField;
  source: string;
}

/** What the template checks need of a campaign; validation fills it from the parts that parsed. */
export interface TemplateBasis {
  /** Undefined when the anchor itself is invalid: variables are then checked against every anchor. */
  anchor: Anchor | undefined;
  id: string;
  name: string;
  steps: readonly Pick<Step, 'id' | 'offsetDays' | 'template'>[];
}

function* templateFields(campaign: Campaign): Generator<FieldRef> {
  for (const [name, perChannel] of Object.entries(campaign.templates)) {
    for (const [locale, tpl] of Object.entries(perChannel.email ?? {})) {
      yield { name, channel: 'email', locale, field: 'subject', source: tpl.subject };
      yield { name, channel: 'email', locale, field: 'text', source: tpl.text };
      if (tpl.html !== undefined) yield { name, channel: 'email', locale, field: 'html', source: tpl.html };
    }
    for (const [locale, tpl] of Object.entries(perChannel.sms ?? {}))
      yield { name, channel: 'sms', locale, field: 'text', source: tpl.text };
  }
}

export function checkField(campaign: TemplateBasis, ref: FieldRef, issues: CampaignIssue[]): void {
  const path = ['templates', ref.name, ref.channel, ref.locale, ref.field];
  let parsed: Template[];
  try {
    parsed = parseTemplate(ref.source, ref.field);
  } catch (err) {
    issues.push({ path, message: `does not parse: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  const engine = engineFor(ref.field);
  const anchor = campaign.anchor;
  const roots = rootsFor(anchor?.type);
  const reported = new Set<string>();
  for (const segments of engine.globalVariableSegmentsSync(parsed)) {
    const problem = variableProblem(segments, roots, anchor?.type);
    if (problem && !reported.has(problem)) {
      reported.add(problem);
      issues.push({ path, message: problem });
    }
  }
  // Sample data depends on the anchor; without one, rendering proves nothing more.
  if (reported.size > 0 || anchor === undefined) return;
  const stepIndex = Math.max(
    0,
    campaign.steps.findIndex((s) => s.template === ref.name),
  );
  const scope = sampleScope({ ...campaign, anchor }, stepIndex, ref.locale);
  let rendered: string;
  let worstCase: string;
  try {
    rendered = String(engine.renderSync(parsed, scope));
    worstCase =
      ref.channel === 'sms'
        ? String(engine.renderSync(parsed, withCustomerName(scope, WORST_CASE_NAME)))
        : rendered;
  } catch (err) {
    issues.push({
      path,
      message: `fails to render with sample data: ${err instanceof Error ? err.message : String(err)}`,
    });
    return;
  }
  if (ref.channel !== 'sms') return;
  const cost = smsSegments(worstCase);
  if (cost.segments > MAX_SMS_SEGMENTS)
    issues.push({
      path,
      message: `renders to ${cost.segments} SMS segments (${cost.units} ${cost.encoding} units with sample data and a ${MAX_NAME_CHARS}-character name); at most ${MAX_SMS_SEGMENTS}`,
    });
  if (isChinese(ref.locale) && !hasSignature(rendered))
    issues.push({ path, message: 'a Chinese SMS must carry a signature in 【】, e.g. 【Touchpoint】' });
}

/** Every step's channels have a template in the fallback locale (the schema checks it too). */
function checkFallbacks(campaign: Campaign, issues: CampaignIssue[]): void {
  campaign.steps.forEach((step, i) => {
    const tpl = campaign.templates[step.template];
    for (const [tier, channels] of Object.entries(step.channels)) {
      for (const channel of channels) {
        if (!tpl?.[channel]?.[campaign.fallbackLocale])
          issues.push({
            path: ['steps', i, 'channels', tier],
            message: `template ${step.template} has no ${channel} version in the fallback locale ${campaign.fallbackLocale}`,
          });
      }
    }
  });
}

/** `{{ unsubscribeUrl }}` (any spacing, with or without filters) in an output tag. */
const USES_UNSUBSCRIBE_URL = /\{\{-?\s*unsubscribeUrl\b/;

/**
 * Every email template, in every locale, shows the unsubscribe link in its text or HTML body
 * (`campaign validate`; docs/consent.md): bulk senders must offer one in the message itself.
 */
export function unsubscribeLinkIssues(campaign: Pick<Campaign, 'templates'>): CampaignIssue[] {
  const issues: CampaignIssue[] = [];
  for (const [name, perChannel] of Object.entries(campaign.templates))
    for (const [locale, tpl] of Object.entries(perChannel.email ?? {}))
      if (!USES_UNSUBSCRIBE_URL.test(tpl.text) && !USES_UNSUBSCRIBE_URL.test(tpl.html ?? ''))
        issues.push({
          path: ['templates', name, 'email', locale, 'text'],
          message:
            'a campaign email must show its unsubscribe link: add {{ unsubscribeUrl }} to the text (or html)',
        });
  return issues;
}

export function checkCampaign(campaign: Campaign): CampaignIssue[] {
  const issues: CampaignIssue[] = [];
  checkFallbacks(campaign, issues);
  for (const ref of templateFields(campaign)) checkField(campaign, ref, issues);
  return issues;
}
