// Preview (render every step's messages for one customer) and test-send (one rendered message to an
// address given in the request — never to a customer, never recorded in the ledger).

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import {
  type Campaign,
  type Channel,
  type Contract,
  type Customer,
  type CustomerEvent,
  channel,
  locale as localeSchema,
  phone,
} from '../../domain/documents.js';
import { SAMPLE_UNSUBSCRIBE_URL, sampleCustomer } from '../../domain/template-samples.js';
import {
  type RenderedMessage,
  renderMessage,
  resolveTemplate,
  TemplateRenderError,
} from '../../domain/templates.js';
import { tierOf } from '../../domain/tiers.js';
import type { PlannedTouch } from '../../domain/touch.js';
import type { ApiDeps } from '../deps.js';
import { PROBLEM_TYPES } from '../problem.js';
import { campaignIdParam, requireCampaign } from './campaigns.js';
import {
  commonErrors,
  jsonContent,
  notFound,
  notFoundResponse,
  opsApp,
  ProblemError,
  security,
  unprocessable,
  unprocessableResponse,
} from './common.js';

const renderedSchema = z.object({
  stepId: z.string(),
  channel,
  /** The template's locale actually used (the customer's, or the campaign's fallback). */
  locale: z.string(),
  /** Whether the step sends on this channel to the customer's tier. */
  forTier: z.boolean(),
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
});
const previewResult = z.object({
  campaignId: z.string(),
  version: z.number().int(),
  customerId: z.string(),
  tier: z.string().nullable(),
  messages: z.array(renderedSchema),
});

const testSendBody = z
  .strictObject({
    stepId: z.string().min(1),
    channel,
    address: z.string().min(1).max(320),
    /** Render with this customer's data (default: sample data); the message still goes to `address`. */
    customerId: z.string().min(1).optional(),
    locale: localeSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const ok =
      b.channel === 'email' ? z.email().safeParse(b.address).success : phone.safeParse(b.address).success;
    if (!ok)
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: b.channel === 'email' ? 'must be an email address' : 'must be an E.164 phone number',
      });
  });

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

async function render(
  campaign: Campaign,
  customer: Customer,
  stepId: string,
  ch: Channel,
  tier: string,
  today: string,
): Promise<RenderedMessage> {
  const step = campaign.steps.find((s) => s.id === stepId);
  if (!step) throw notFound(`Step ${stepId} of campaign ${campaign.id}`);
  const samples = anchorSamples(campaign, customer, today);
  const touch: PlannedTouch = {
    campaignId: campaign.id,
    stepId,
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
    return await renderMessage(campaign, touch, {
      customer,
      ...(samples.contract && { contract: samples.contract }),
      ...(samples.event && { event: samples.event }),
      unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
    });
  } catch (err) {
    if (err instanceof TemplateRenderError)
      throw unprocessable('A template failed to render.', [
        { path: `templates.${step.template}.${ch}`, message: err.message },
      ]);
    throw err;
  }
}

const tag = ['campaigns'];

export function previewRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  const today = () => deps.clock.now().toISOString().slice(0, 10);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns/{id}/preview',
      tags: tag,
      security,
      summary: "Render every step's messages for one customer, per channel, in the customer's locale",
      request: {
        params: campaignIdParam,
        body: {
          required: true,
          content: { 'application/json': { schema: z.strictObject({ customerId: z.string().min(1) }) } },
        },
      },
      responses: {
        200: jsonContent(previewResult, 'The rendered messages'),
        ...commonErrors,
        ...notFoundResponse,
        ...unprocessableResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { customerId } = c.req.valid('json');
      const [record, customer, settings] = await Promise.all([
        requireCampaign(deps, id),
        deps.store.customers.getCustomer(customerId),
        deps.store.settings.getSettings(),
      ]);
      if (!customer) throw notFound(`Customer ${customerId}`);
      const { campaign } = record;
      const tier = tierOf(customer.monthlyValue, settings.tiers);
      const messages: z.infer<typeof renderedSchema>[] = [];
      for (const step of campaign.steps) {
        for (const ch of channel.options) {
          if (!resolveTemplate(campaign, step.template, ch, customer.locale)) continue;
          const m = await render(campaign, customer, step.id, ch, tier ?? 'none', today());
          messages.push({
            stepId: step.id,
            channel: ch,
            forTier: tier !== undefined && (step.channels[tier] ?? []).includes(ch),
            ...m,
          });
        }
      }
      return c.json(
        { campaignId: id, version: record.version, customerId, tier: tier ?? null, messages },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns/{id}/test-send',
      tags: tag,
      security,
      summary: 'Send one rendered step message to the given address only (not recorded in the ledger)',
      request: {
        params: campaignIdParam,
        body: { required: true, content: { 'application/json': { schema: testSendBody } } },
      },
      responses: {
        200: jsonContent(
          z.object({ sent: z.literal(true), to: z.string(), providerMessageId: z.string() }),
          'Sent',
        ),
        ...commonErrors,
        ...notFoundResponse,
        ...unprocessableResponse,
        502: jsonContent(z.object({}), 'The channel refused the message (problem JSON)'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { campaign } = await requireCampaign(deps, id);
      const customer =
        body.customerId === undefined ? undefined : await deps.store.customers.getCustomer(body.customerId);
      if (body.customerId !== undefined && !customer) throw notFound(`Customer ${body.customerId}`);
      const base = customer ?? sampleCustomer(body.locale ?? campaign.fallbackLocale);
      const data = body.locale === undefined ? base : { ...base, locale: body.locale };
      const step = campaign.steps.find((s) => s.id === body.stepId);
      if (!step) throw notFound(`Step ${body.stepId} of campaign ${id}`);
      if (!resolveTemplate(campaign, step.template, body.channel, data.locale))
        throw unprocessable('The step has no template for this channel.', [
          { path: 'channel', message: `template ${step.template} has no ${body.channel} version` },
        ]);
      const m = await render(campaign, data, step.id, body.channel, 'test', today());
      const tags = { campaignId: id, stepId: step.id, test: 'true' };
      const result =
        body.channel === 'email'
          ? await deps.email.send({
              to: body.address,
              subject: m.subject ?? campaign.name,
              text: m.text,
              ...(m.html !== undefined && { html: m.html }),
              unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
              tags,
            })
          : await deps.sms.send({ to: body.address, text: m.text, messageType: 'TRANSACTIONAL', tags });
      if (!result.ok)
        throw new ProblemError({
          type: PROBLEM_TYPES.internal,
          title: 'Channel refused the message',
          status: 502,
          detail: result.error,
        });
      return c.json(
        { sent: true as const, to: body.address, providerMessageId: result.providerMessageId },
        200,
      );
    },
  );
  return app;
}
