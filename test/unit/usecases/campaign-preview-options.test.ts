// Preview for the console's template editor: the sample customer when none is named, a chosen locale
// over the customer's own, and each email as the customer gets it (layout and footer).
import { describe, expect, it } from 'vitest';
import { applyCampaign } from '../../../shared/usecases/campaigns/apply.js';
import { previewCampaign } from '../../../shared/usecases/campaigns/preview.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

const clock = manualClock('2026-11-26T09:00:00Z');
const bilingual = () =>
  JSON.parse(
    JSON.stringify(
      campaign({
        templates: {
          t: {
            email: {
              'en-US': { subject: 'Hi {{ customer.name }}', text: 'Hello {{ customer.name }}' },
              'zh-CN': { subject: '{{ customer.name }}您好', text: '您好 {{ customer.name }}' },
            },
            sms: { 'en-US': { text: 'Hello {{ customer.name }}. STOP to opt out' } },
          },
        },
      }),
    ),
  );

async function setUp() {
  const store = memoryStores(clock);
  await applyCampaign(store, { doc: bilingual(), mode: 'create' });
  await store.documents.putCustomers([customer('c1', { monthlyValue: 120 })]);
  return { ...store, clock };
}

describe('preview options', () => {
  it('renders for the sample customer when no customer is named, in the locale asked', async () => {
    const deps = await setUp();
    const zh = await previewCampaign(deps, { campaignId: 'camp', locale: 'zh-CN' });
    expect(zh).toMatchObject({ ok: true, value: { customerId: 'c-000123', sample: true } });
    const email = zh.ok ? zh.value.messages.find((m) => m.channel === 'email') : undefined;
    expect(email).toMatchObject({ locale: 'zh-CN', subject: '欧阳晓明您好' });
    // The SMS template has no zh-CN version: the campaign's fallback renders, and says so.
    const sms = zh.ok ? zh.value.messages.find((m) => m.channel === 'sms') : undefined;
    expect(sms?.locale).toBe('en-US');
    const en = await previewCampaign(deps, { campaignId: 'camp' });
    expect(en.ok ? en.value.messages.map((m) => [m.channel, m.locale, m.subject]) : []).toEqual([
      ['email', 'en-US', 'Hi Alexandra Montgomery'],
      ['sms', 'en-US', undefined],
    ]);
  });

  it("renders a named customer's data in another locale, and is not a sample", async () => {
    const deps = await setUp();
    const result = await previewCampaign(deps, { campaignId: 'camp', customerId: 'c1', locale: 'zh-CN' });
    expect(result).toMatchObject({ ok: true, value: { customerId: 'c1', tier: 'business' } });
    expect(result.ok && 'sample' in result.value).toBe(false);
    const email = result.ok ? result.value.messages.find((m) => m.channel === 'email') : undefined;
    expect(email).toMatchObject({ locale: 'zh-CN', subject: 'Customer c1您好' });
    expect(await previewCampaign(deps, { campaignId: 'camp', customerId: 'nobody' })).toEqual({
      ok: false,
      reason: 'customer-not-found',
    });
  });

  it('gives each email as sent: the layout in the message locale with the unsubscribe footer; SMS has none', async () => {
    const deps = await setUp();
    const result = await previewCampaign(deps, { campaignId: 'camp', locale: 'zh-CN' });
    const messages = result.ok ? result.value.messages : [];
    const email = messages.find((m) => m.channel === 'email');
    expect(email?.composed?.html).toContain('lang="zh-CN"');
    expect(email?.composed?.html).toContain('退订或选择您想收到的邮件');
    expect(email?.composed?.text).toMatch(/^您好 欧阳晓明\n/);
    expect(messages.find((m) => m.channel === 'sms')?.composed).toBeUndefined();
  });
});
