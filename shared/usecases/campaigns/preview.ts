// campaign preview: every step's messages rendered for one customer (or the sample customer), per
// channel, in their locale or a chosen one, with sample anchor records (a contract, an event) so
// anchor variables render plausibly. An email also comes as the customer gets it (layout, footer).
import * as z from 'zod';
import {
  type Campaign,
  type Channel,
  type Contract,
  type Customer,
  type CustomerEvent,
  channel,
  type Settings,
} from '../../domain/documents.js';
import { composeEmail } from '../../domain/email-layout/compose.js';
import { SAMPLE_UNSUBSCRIBE_URL, sampleCustomer } from '../../domain/template-samples.js';
import {
  type RenderedMessage,
  renderMessage,
  resolveTemplate,
  TemplateRenderError,
} from '../../domain/templates.js';
import { tierOf } from '../../domain/tiers.js';
import type { PlannedTouch } from '../../domain/touch.js';
import type { CampaignStore } from '../../ports/campaigns.js';
import type { Clock } from '../../ports/clock.js';
import type { CustomerDataStore } from '../../ports/customer-data.js';
import type { SettingsStore } from '../../ports/settings.js';

export const renderedMessageSchema = z.object({
  stepId: z.string(),
  channel,
  /** The template's locale actually used (the customer's, or the campaign's fallback). */
  locale: z.string(),
  /** Whether the step sends on this channel to the customer's tier. */
  forTier: z.boolean(),
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  /** An email as the customer gets it: the house layout and its footer (docs/messages.md). */
  composed: z.object({ html: z.string(), text: z.string() }).optional(),
});
export const previewSchema = z.object({
  campaignId: z.string(),
  version: z.number().int(),
  customerId: z.string(),
  /** True when rendered for the sample customer (no customer named). */
  sample: z.boolean().optional(),
  tier: z.string().nullable(),
  messages: z.array(renderedMessageSchema),
});

/** A template that fails to render, at its path. */
export type RenderFailure = { path: string; message: string };

export type RenderOutcome = { ok: true; message: RenderedMessage } | { ok: false; failure: RenderFailure };

/** Sample anchor records, so templates that use `contract` or `event` render something plausible. */
function anchorSamples(
  campaign: Campaign,
  customer: Customer,
  today: string,
): { contract?: Contract; event?: CustomerEvent; occasion: string } {
  const a = campaign.anchor;
  if (a.type === 'contractEnd' || a.type === 'contractStart') {
    const contract: Contract = {
      id: 'sample-contract',
      customerId: customer.id,
      product: a.products?.[0] ?? 'sample-product',
      startDate: today,
      endDate: today,
      status: 'active',
    };
    return { contract, occasion: `${contract.id}:${today}` };
  }
  if (a.type === 'event') {
    const event: CustomerEvent = {
      id: 'sample-event',
      customerId: customer.id,
      type: a.eventType,
      occurredAt: `${today}T09:00:00Z`,
    };
    return { event, occasion: event.id };
  }
  return { occasion: a.type === 'birthday' ? today.slice(0, 4) : today };
}

/** One step's message on one channel for this customer (the step must exist). */
export async function renderStep(
  campaign: Campaign,
  customer: Customer,
  step: Campaign['steps'][number],
  ch: Channel,
  tier: string,
  today: string,
  products?: Settings['products'],
): Promise<RenderOutcome> {
  const samples = anchorSamples(campaign, customer, today);
  const touch: PlannedTouch = {
    campaignId: campaign.id,
    stepId: step.id,
    customerId: customer.id,
    channel: ch,
    occasion: samples.occasion,
    tier,
    locale: customer.locale,
    dueDate: today,
    sendAt: `${today}T00:00:00.000Z`,
    windowEnd: `${today}T00:00:00.000Z`,
    status: 'planned',
    template: step.template,
  };
  try {
    const message = await renderMessage(campaign, touch, {
      customer,
      ...(samples.contract && { contract: samples.contract }),
      ...(samples.event && { event: samples.event }),
      unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
      ...(products && { products }),
    });
    return { ok: true, message };
  } catch (err) {
    if (err instanceof TemplateRenderError)
      return { ok: false, failure: { path: `templates.${step.template}.${ch}`, message: err.message } };
    throw err;
  }
}

export type PreviewResult =
  | { ok: true; value: z.infer<typeof previewSchema> }
  | { ok: false; reason: 'campaign-not-found' | 'customer-not-found' }
  | { ok: false; reason: 'render-failed'; failure: RenderFailure };

export async function previewCampaign(
  deps: { campaigns: CampaignStore; customers: CustomerDataStore; settings: SettingsStore; clock: Clock },
  /** No `customerId`: the sample customer. `locale`: render in it instead of the customer's (as test-send). */
  input: { campaignId: string; customerId?: string | undefined; locale?: string | undefined },
): Promise<PreviewResult> {
  const [record, stored, settings] = await Promise.all([
    deps.campaigns.getCampaign(input.campaignId),
    input.customerId === undefined ? undefined : deps.customers.getCustomer(input.customerId),
    deps.settings.getSettings(),
  ]);
  if (!record) return { ok: false, reason: 'campaign-not-found' };
  if (input.customerId !== undefined && !stored) return { ok: false, reason: 'customer-not-found' };
  const { campaign } = record;
  const base = stored ?? sampleCustomer(input.locale ?? campaign.fallbackLocale);
  const customer = input.locale === undefined ? base : { ...base, locale: input.locale };
  const today = deps.clock.now().toISOString().slice(0, 10);
  const tier = tierOf(customer.monthlyValue, settings.tiers);
  const messages: z.infer<typeof renderedMessageSchema>[] = [];
  for (const step of campaign.steps) {
    for (const ch of channel.options) {
      if (!resolveTemplate(campaign, step.template, ch, customer.locale)) continue;
      const r = await renderStep(campaign, customer, step, ch, tier ?? 'none', today, settings.products);
      if (!r.ok) return { ok: false, reason: 'render-failed', failure: r.failure };
      const m = r.message;
      messages.push({
        stepId: step.id,
        channel: ch,
        forTier: tier !== undefined && (step.channels[tier] ?? []).includes(ch),
        ...m,
        ...(ch === 'email' && {
          composed: composeEmail(
            { locale: m.locale, subject: m.subject ?? campaign.name, text: m.text, html: m.html },
            { sender: settings.sender, unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL },
          ),
        }),
      });
    }
  }
  return {
    ok: true,
    value: {
      campaignId: campaign.id,
      version: record.version,
      customerId: customer.id,
      ...(stored === undefined && { sample: true }),
      tier: tier ?? null,
      messages,
    },
  };
}
