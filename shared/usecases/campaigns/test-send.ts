// campaign test-send: one rendered step message to the address given, never to a customer and
// never recorded in the ledger. Rendered with a customer's data when named, else with sample data.
// An address on the suppression list gets nothing, a test included: it said no, or it bounced.
import { InvalidAddressError, normalizeEmail, normalizePhone } from '../../domain/addresses.js';
import type { Channel } from '../../domain/documents.js';
import { composeEmail } from '../../domain/email-layout/compose.js';
import { SAMPLE_UNSUBSCRIBE_URL, sampleCustomer } from '../../domain/template-samples.js';
import { resolveTemplate } from '../../domain/templates.js';
import type { CampaignStore } from '../../ports/campaigns.js';
import type { EmailSender, SmsSender } from '../../ports/channels.js';
import type { Clock } from '../../ports/clock.js';
import type { CustomerDataStore } from '../../ports/customer-data.js';
import type { SettingsStore } from '../../ports/settings.js';
import type { SuppressionEntry, SuppressionStore } from '../../ports/suppression.js';
import { type RenderFailure, renderStep } from './preview.js';

export interface TestSendInput {
  campaignId: string;
  stepId: string;
  channel: Channel;
  address: string;
  customerId?: string | undefined;
  locale?: string | undefined;
}

export type TestSendResult =
  | { ok: true; value: { sent: true; to: string; providerMessageId: string } }
  | { ok: false; reason: 'campaign-not-found' | 'customer-not-found' | 'step-not-found' }
  | { ok: false; reason: 'no-template'; template: string }
  | { ok: false; reason: 'render-failed'; failure: RenderFailure }
  | { ok: false; reason: 'invalid-address'; message: string }
  | { ok: false; reason: 'address-suppressed'; suppression: SuppressionEntry }
  | { ok: false; reason: 'channel-refused'; error: string };

/** Refuses an address on the suppression list, compared normalized as the planner compares. */
async function suppressionOf(
  suppression: Pick<SuppressionStore, 'getSuppression'>,
  input: Pick<TestSendInput, 'channel' | 'address'>,
): Promise<Extract<TestSendResult, { reason: 'invalid-address' | 'address-suppressed' }> | undefined> {
  let address: string;
  try {
    address = input.channel === 'email' ? normalizeEmail(input.address) : normalizePhone(input.address);
  } catch (e) {
    if (e instanceof InvalidAddressError) return { ok: false, reason: 'invalid-address', message: e.message };
    throw e;
  }
  const entry = await suppression.getSuppression(address);
  return entry && { ok: false, reason: 'address-suppressed', suppression: entry };
}

export async function testSend(
  deps: {
    campaigns: CampaignStore;
    customers: CustomerDataStore;
    suppression: Pick<SuppressionStore, 'getSuppression'>;
    /** Product names and the sender's footer: a test email looks like the real one. */
    settings: Pick<SettingsStore, 'getSettings'>;
    email: EmailSender;
    sms: SmsSender;
    clock: Clock;
  },
  input: TestSendInput,
): Promise<TestSendResult> {
  const record = await deps.campaigns.getCampaign(input.campaignId);
  if (!record) return { ok: false, reason: 'campaign-not-found' };
  const { campaign } = record;
  const customer =
    input.customerId === undefined ? undefined : await deps.customers.getCustomer(input.customerId);
  if (input.customerId !== undefined && !customer) return { ok: false, reason: 'customer-not-found' };
  const base = customer ?? sampleCustomer(input.locale ?? campaign.fallbackLocale);
  const data = input.locale === undefined ? base : { ...base, locale: input.locale };
  const step = campaign.steps.find((s) => s.id === input.stepId);
  if (!step) return { ok: false, reason: 'step-not-found' };
  if (!resolveTemplate(campaign, step.template, input.channel, data.locale))
    return { ok: false, reason: 'no-template', template: step.template };
  const suppressed = await suppressionOf(deps.suppression, input);
  if (suppressed) return suppressed;
  const today = deps.clock.now().toISOString().slice(0, 10);
  const settings = await deps.settings.getSettings();
  const r = await renderStep(campaign, data, step, input.channel, 'test', today, settings.products);
  if (!r.ok) return { ok: false, reason: 'render-failed', failure: r.failure };
  const m = r.message;
  const tags = { campaignId: campaign.id, stepId: step.id, test: 'true' };
  const subject = m.subject ?? campaign.name;
  const body =
    input.channel === 'email'
      ? composeEmail(
          { locale: m.locale, subject, text: m.text, html: m.html },
          { sender: settings.sender, unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL },
        )
      : undefined;
  const result = body
    ? await deps.email.send({
        to: input.address,
        subject,
        text: body.text,
        html: body.html,
        ...(settings.sender?.fromName && { fromName: settings.sender.fromName }),
        unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
        tags,
      })
    : await deps.sms.send({ to: input.address, text: m.text, messageType: 'TRANSACTIONAL', tags });
  if (!result.ok) return { ok: false, reason: 'channel-refused', error: result.error };
  return { ok: true, value: { sent: true, to: input.address, providerMessageId: result.providerMessageId } };
}
