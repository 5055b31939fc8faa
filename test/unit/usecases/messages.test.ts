// What a customer receives (issue 12 item 5): multipart email in the house layout with the sender's
// footer, product names instead of SKUs, and the campaign's SMS type. Over in-memory ports.
import { describe, expect, it } from 'vitest';
import { type Campaign, defaultSettings, settingsSchema } from '../../../shared/domain/documents.js';
import type { OutgoingSms, SendResult } from '../../../shared/ports/channels.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { TEST_LINKS as links, recordingEmail } from '../../support/fakes/channels.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, contract, customer } from '../domain/fixtures.js';

const D = '2026-11-26';

function recordingSms() {
  const sent: OutgoingSms[] = [];
  return {
    sent,
    send: async (m: OutgoingSms): Promise<SendResult> => {
      sent.push(m);
      return { ok: true, providerMessageId: `sms-${sent.length}` };
    },
  };
}

const renewal = (over: Record<string, unknown> = {}): Campaign =>
  campaign({
    id: 'renewal',
    anchor: { type: 'contractEnd' },
    steps: [{ id: 'd0', offsetDays: 0, channels: { key: ['email', 'sms'] }, template: 't' }],
    templates: {
      t: {
        email: {
          'en-US': {
            subject: 'Your {{ contract.productName }} plan ends {{ contract.endDate }}',
            text: 'Hi {{ customer.name }}, your {{ contract.productName }} plan ({{ contract.product }}) ends soon.\nUnsubscribe: {{ unsubscribeUrl }}',
          },
          'zh-CN': {
            subject: '您的{{ contract.productName }}套餐即将到期',
            text: '{{ customer.name }}您好\n退订：{{ unsubscribeUrl }}',
          },
        },
        sms: { 'en-US': { text: 'Your {{ contract.productName }} plan ends soon. STOP to opt out' } },
      },
    },
    ...over,
  });

async function sendDay(opts: { settings?: unknown; campaign?: Campaign; locale?: string }) {
  const clock = manualClock(`${D}T00:00:00Z`);
  const store = memoryStores(clock);
  if (opts.settings !== undefined) await store.settings.putSettings(settingsSchema.parse(opts.settings));
  await store.documents.putCustomers([
    customer('c1', { monthlyValue: 600, timeZone: 'UTC', locale: opts.locale ?? 'en-US' }),
  ]);
  await store.documents.putContracts([contract('k1', 'c1', { product: 'mobile-plan-128', endDate: D })]);
  await store.campaigns.putCampaign(opts.campaign ?? renewal());
  const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
  clock.set(`${D}T09:00:00Z`);
  const email = recordingEmail();
  const sms = recordingSms();
  for (const b of run.batches)
    await sendBatch({ store, email, sms, clock, links }, { runId: 'r1', batchId: b.batchId });
  return { email: email.sent, sms: sms.sent };
}

const SETTINGS = {
  ...defaultSettings(),
  products: { 'mobile-plan-128': { name: { 'en-US': 'Unlimited 128', 'zh-CN': '畅享128' } } },
  sender: { fromName: 'Acme Mobile', postalAddress: 'Acme Mobile Ltd\n1 Harbour Road, San Francisco' },
};

describe('messages a customer is glad to get', () => {
  it('sends a campaign email as text and HTML in the layout, with the sender name, postal address and unsubscribe link', async () => {
    const { email } = await sendDay({ settings: SETTINGS });
    const [mail] = email;
    expect(mail?.fromName).toBe('Acme Mobile');
    expect(mail?.html).toContain('<!doctype html>');
    expect(mail?.html).toContain('1 Harbour Road, San Francisco');
    expect(mail?.html).toContain(`<a href="${mail?.unsubscribeUrl.replaceAll('&', '&amp;')}">`);
    expect(mail?.text).toContain('\n-- \nAcme Mobile\nAcme Mobile Ltd\n1 Harbour Road, San Francisco\n');
  });

  it('names the product from the settings catalog instead of its SKU, in the message locale', async () => {
    const en = await sendDay({ settings: SETTINGS });
    expect(en.email[0]?.subject).toBe(`Your Unlimited 128 plan ends ${D}`);
    expect(en.email[0]?.text).toContain('your Unlimited 128 plan (mobile-plan-128) ends soon');
    expect(en.sms[0]?.text).toBe('Your Unlimited 128 plan ends soon. STOP to opt out');
    const zh = await sendDay({ settings: SETTINGS, locale: 'zh-CN' });
    expect(zh.email[0]?.subject).toBe('您的畅享128套餐即将到期');
  });

  it('keeps the SKU where the catalog has no name for the product', async () => {
    const { email } = await sendDay({});
    expect(email[0]?.subject).toBe(`Your mobile-plan-128 plan ends ${D}`);
    expect(email[0]?.fromName).toBeUndefined();
    // Without a postal address the footer still says why and how to leave.
    expect(email[0]?.html).toContain('You receive this email as our customer.');
  });

  it('sends a campaign SMS as promotional unless the campaign says transactional', async () => {
    expect((await sendDay({})).sms.map((m) => m.messageType)).toEqual(['PROMOTIONAL']);
    const transactional = await sendDay({ campaign: renewal({ smsType: 'transactional' }) });
    expect(transactional.sms.map((m) => m.messageType)).toEqual(['TRANSACTIONAL']);
  });
});
