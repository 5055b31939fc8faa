// Message templates (LiquidJS), per template name, channel and locale, with the campaign's
// fallback locale. Rendering at send time is lenient about variables (missing → empty), since a
// campaign is checked when applied (campaign-checks.ts); filters must exist, at parse time.
import { Liquid, type Template } from 'liquidjs';
import type { IndexedContract } from '../ports/due.js';
import type { Campaign, Channel, Contract, Customer, CustomerEvent, Settings } from './documents.js';
import type { PlannedTouch } from './touch.js';

export class TemplateNotFoundError extends Error {
  constructor(
    readonly campaignId: string,
    readonly template: string,
    readonly channel: Channel,
    readonly locale: string,
  ) {
    super(
      `campaign ${campaignId} has no ${channel} template ${template} for ${locale} nor its fallback locale`,
    );
    this.name = 'TemplateNotFoundError';
  }
}

export class TemplateRenderError extends Error {
  constructor(
    readonly campaignId: string,
    readonly template: string,
    readonly field: string,
    options: { cause: unknown },
  ) {
    const why = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`campaign ${campaignId} template ${template} (${field}) failed to render: ${why}`, options);
    this.name = 'TemplateRenderError';
  }
}

const baseOptions = { strictVariables: false, strictFilters: true, ownPropertyOnly: true } as const;
/** Subjects, text bodies and SMS: no escaping. */
export const textEngine = new Liquid(baseOptions);
/** HTML bodies: every output escaped, so customer data cannot inject markup. */
export const htmlEngine = new Liquid({ ...baseOptions, outputEscape: 'escape' });

export type TemplateField = 'subject' | 'text' | 'html';
export const engineFor = (field: TemplateField): Liquid => (field === 'html' ? htmlEngine : textEngine);

// Parsed templates by engine and source. Campaign texts are few and reused for every customer;
// the bound only guards against a process that sees many campaign versions.
const MAX_CACHED = 2_000;
const parsedCache = new Map<string, Template[]>();

/** Parses with the field's engine, cached. Throws liquidjs's ParseError on bad syntax or filters. */
export function parseTemplate(source: string, field: TemplateField): Template[] {
  const key = `${field === 'html' ? 'h' : 't'}\u0000${source}`;
  const hit = parsedCache.get(key);
  if (hit) return hit;
  const parsed = engineFor(field).parse(source);
  if (parsedCache.size >= MAX_CACHED) parsedCache.clear();
  parsedCache.set(key, parsed);
  return parsed;
}

export interface TemplateTexts {
  subject?: string;
  text: string;
  html?: string;
}

/** The template for the customer's exact locale if the campaign has it, else the fallback locale's. */
export function resolveTemplate(
  campaign: Campaign,
  templateName: string,
  channel: Channel,
  locale: string,
): { locale: string; template: TemplateTexts } | undefined {
  const perLocale = campaign.templates[templateName]?.[channel];
  if (!perLocale) return undefined;
  const exact = perLocale[locale];
  if (exact) return { locale, template: exact };
  const fallback = perLocale[campaign.fallbackLocale];
  return fallback ? { locale: campaign.fallbackLocale, template: fallback } : undefined;
}

export interface RenderContext {
  customer: Customer;
  contract?: Contract | IndexedContract;
  event?: CustomerEvent;
  unsubscribeUrl: string;
  /** The settings' product catalog: `contract.productName` (absent: the SKU). */
  products?: Settings['products'];
}

/**
 * What a customer reads for a SKU: its name in the message's locale, else in another locale of the
 * same language (zh-CN for zh-SG), else the SKU itself.
 */
export function productName(products: Settings['products'], sku: string, locale: string): string {
  const names = products && Object.hasOwn(products, sku) ? products[sku]?.name : undefined;
  if (!names) return sku;
  if (Object.hasOwn(names, locale)) return names[locale] ?? sku;
  const language = locale.split('-')[0]?.toLowerCase();
  const sameLanguage = Object.keys(names)
    .sort()
    .find((l) => l.split('-')[0]?.toLowerCase() === language);
  return sameLanguage === undefined ? sku : (names[sameLanguage] ?? sku);
}

export interface RenderedMessage {
  locale: string;
  subject?: string;
  text: string;
  html?: string;
}

/**
 * The variables a template sees; campaign-checks.ts lists the same names as the allowed ones.
 * `locale`: the template's (the customer's, or the campaign's fallback), for product names.
 */
export function templateScope(
  campaign: Pick<Campaign, 'id' | 'name' | 'steps'>,
  touch: Pick<PlannedTouch, 'stepId' | 'tier' | 'occasion'>,
  ctx: RenderContext,
  locale: string = ctx.customer.locale,
): Record<string, unknown> {
  const step = campaign.steps.find((s) => s.id === touch.stepId);
  return {
    customer: { ...ctx.customer, tier: touch.tier },
    contract: ctx.contract && {
      ...ctx.contract,
      productName: productName(ctx.products, ctx.contract.product, locale),
    },
    event: ctx.event,
    campaign: { id: campaign.id, name: campaign.name },
    step: step ? { id: step.id, offsetDays: step.offsetDays } : { id: touch.stepId },
    occasion: touch.occasion,
    unsubscribeUrl: ctx.unsubscribeUrl,
  };
}

async function renderField(
  campaign: Campaign,
  templateName: string,
  field: TemplateField,
  source: string,
  scope: Record<string, unknown>,
): Promise<string> {
  try {
    const rendered: unknown = await engineFor(field).render(parseTemplate(source, field), scope);
    return String(rendered);
  } catch (cause) {
    throw new TemplateRenderError(campaign.id, templateName, field, { cause });
  }
}

// Customer data reaches subjects and SMS through variables, and data stored before the edge refused
// control characters (or a partner's event data, which may hold any text) is still rendered: so the
// output is made safe here, whatever the input. Bidirectional overrides can disguise a text's
// meaning (a link or a number read backwards); they go from subjects and SMS. Email bodies are
// MIME parts, not headers: their text is left as rendered (HTML escaped by its engine).
const BIDI_OVERRIDES = /[\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what is removed
const CONTROL_RUNS = /\s*[\u0000-\u001f\u007f-\u009f\u2028\u2029]+\s*/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what is removed
const SMS_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A subject is a header: one line. Controls (CR, LF, NUL, tab…) fold into a space; trimmed. */
export function headerSafe(text: string): string {
  return text.replace(BIDI_OVERRIDES, '').replace(CONTROL_RUNS, ' ').trim();
}

/** An SMS keeps its line breaks (CR LF becomes LF) and tabs as spaces; other controls go. */
export function smsSafe(text: string): string {
  return text
    .replace(BIDI_OVERRIDES, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(SMS_CONTROLS, '');
}

export async function renderMessage(
  campaign: Campaign,
  touch: PlannedTouch,
  ctx: RenderContext,
): Promise<RenderedMessage> {
  const resolved = resolveTemplate(campaign, touch.template, touch.channel, touch.locale);
  if (!resolved) throw new TemplateNotFoundError(campaign.id, touch.template, touch.channel, touch.locale);
  const scope = templateScope(campaign, touch, ctx, resolved.locale);
  const { template } = resolved;
  const text = await renderField(campaign, touch.template, 'text', template.text, scope);
  const out: RenderedMessage = {
    locale: resolved.locale,
    text: touch.channel === 'sms' ? smsSafe(text) : text,
  };
  if (template.subject !== undefined)
    out.subject = headerSafe(await renderField(campaign, touch.template, 'subject', template.subject, scope));
  if (template.html !== undefined)
    out.html = await renderField(campaign, touch.template, 'html', template.html, scope);
  return out;
}
