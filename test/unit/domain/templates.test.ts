import { describe, expect, it } from 'vitest';
import { UNSAFE_TEXT } from '../../../shared/domain/limits.js';
import { planDay } from '../../../shared/domain/planner.js';
import {
  renderMessage,
  resolveTemplate,
  TemplateNotFoundError,
  TemplateRenderError,
} from '../../../shared/domain/templates.js';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import { loadExamples } from './example-data.js';
import { campaign, customer, SETTINGS } from './fixtures.js';

const data = loadExamples();
const byId = (id: string) => {
  const c = data.campaigns.find((x) => x.id === id);
  if (!c) throw new Error(`no example campaign ${id}`);
  return c;
};
const exampleCustomer = (id: string) => {
  const c = data.customers.find((x) => x.id === id);
  if (!c) throw new Error(`no example customer ${id}`);
  return c;
};

const touch = (over: Partial<PlannedTouch>): PlannedTouch => ({
  campaignId: 'contract-renewal',
  stepId: 'd-30',
  customerId: 'c-1003',
  channel: 'email',
  occasion: 'k-2003:2026-12-26',
  tier: 'standard',
  locale: 'zh-CN',
  dueDate: '2026-11-26',
  sendAt: '2026-11-26T01:00:00.000Z',
  windowEnd: '2026-11-26T12:00:00.000Z',
  status: 'planned',
  template: 'renewal-offer',
  ...over,
});

describe('resolveTemplate', () => {
  const renewal = byId('contract-renewal');
  it('takes the exact locale, else the fallback', () => {
    expect(resolveTemplate(renewal, 'renewal-offer', 'sms', 'zh-CN')?.locale).toBe('zh-CN');
    expect(resolveTemplate(renewal, 'renewal-offer', 'sms', 'en-GB')?.locale).toBe('en-US');
    expect(resolveTemplate(renewal, 'renewal-offer', 'email', 'zh-TW')?.template.subject).toContain(
      '{{ customer.name }}, your',
    );
  });
  it('is undefined for an unknown template or channel', () => {
    expect(resolveTemplate(renewal, 'nope', 'email', 'en-US')).toBeUndefined();
    expect(resolveTemplate(byId('after-sale-care'), 'first-month', 'sms', 'en-US')).toBeUndefined();
  });
});

describe('renderMessage', () => {
  it('renders the example renewal offer in Chinese with the contract', async () => {
    const k = data.contracts.find((c) => c.id === 'k-2003');
    const msg = await renderMessage(byId('contract-renewal'), touch({}), {
      customer: exampleCustomer('c-1003'),
      contract: k,
      unsubscribeUrl: 'https://t.example/u/abc',
    });
    expect(msg).toEqual({
      locale: 'zh-CN',
      subject: 'Chen Jing，您的mobile-plan-38套餐将于2026-12-26到期',
      text: 'Chen Jing您好：您的套餐将于2026-12-26到期，现在续约可享老客户优惠。\n退订：https://t.example/u/abc',
    });
  });

  it('renders event data and falls back to en-US for en-NZ', async () => {
    const ev = {
      id: 'ev-1',
      customerId: 'c-1005',
      type: 'complaint.resolved',
      occurredAt: '2026-11-24T08:30:00Z',
      data: { ticket: 'T-9' },
    };
    const msg = await renderMessage(
      byId('service-recovery'),
      touch({
        campaignId: 'service-recovery',
        stepId: 'd2',
        channel: 'sms',
        template: 'how-did-we-do',
        locale: 'en-NZ',
        occasion: 'ev-1',
      }),
      { customer: exampleCustomer('c-1005'), event: ev, unsubscribeUrl: 'u' },
    );
    expect(msg).toEqual({
      locale: 'en-US',
      text: 'Touchpoint: ticket T-9 closed. Reply 1-5 to rate us. STOP to opt out',
    });
  });

  it('exposes tier, campaign, step and occasion; missing variables render empty; html is escaped', async () => {
    const camp = campaign({
      templates: {
        t: {
          email: {
            'en-US': {
              subject: '{{ campaign.name }}/{{ step.id }}/{{ step.offsetDays }}/{{ occasion }}',
              text: '[{{ customer.tier }}][{{ contract.product }}][{{ customer.attributes.city }}]',
              html: '<p>{{ customer.name }}</p>',
            },
          },
          sms: { 'en-US': { text: 'x' } },
        },
      },
    });
    const [t] = planDay({
      date: '2026-11-26',
      settings: SETTINGS,
      campaigns: [
        {
          campaign: camp,
          paused: false,
          dueByStep: new Map([['s1', [{ customer: customer('c1'), anchorDate: 'x', occasion: 'occ-1' }]]]),
        },
      ],
      ledger: new Map(),
      countedDueDates: () => [],
      suppressedAddresses: new Set(),
    });
    if (!t) throw new Error('expected a touch');
    const msg = await renderMessage(camp, t, {
      customer: customer('c1', { name: '<b>Tom & Jerry</b>' }),
      unsubscribeUrl: 'u',
    });
    expect(msg).toEqual({
      locale: 'en-US',
      subject: 'Campaign/s1/0/occ-1',
      text: '[standard][][]',
      html: '<p>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</p>',
    });
  });

  it('renders a subject from a stored name holding "\r\nBcc: x@example.com" as one header line', async () => {
    // The edge refuses such a name now; a customer stored before it (or event data, which may hold
    // any text) still reaches rendering, which must be safe on its own.
    const k = data.contracts.find((c) => c.id === 'k-2003');
    const msg = await renderMessage(byId('contract-renewal'), touch({}), {
      customer: { ...exampleCustomer('c-1003'), name: 'Chen\r\nBcc: x@example.com\u0000\u202e' },
      contract: k,
      unsubscribeUrl: 'https://t.example/u/abc',
    });
    expect(msg.subject).toBe('Chen Bcc: x@example.com ，您的mobile-plan-38套餐将于2026-12-26到期');
    expect(msg.subject).not.toMatch(UNSAFE_TEXT);
  });

  it('drops NUL, controls and bidi overrides from an SMS, keeping its line breaks', async () => {
    const camp = campaign({
      templates: {
        t: {
          email: { 'en-US': { subject: 's', text: 't' } },
          sms: { 'en-US': { text: 'Hi {{ customer.name }}\nSTOP to opt out' } },
        },
      },
    });
    const msg = await renderMessage(
      camp,
      touch({ campaignId: 'camp', stepId: 's1', channel: 'sms', template: 't', locale: 'en-US' }),
      { customer: customer('c1', { name: 'Ann\u0000\u0007\tLee\r\n\u202egnp.exe' }), unsubscribeUrl: 'u' },
    );
    expect(msg.text).toBe('Hi Ann Lee\ngnp.exe\nSTOP to opt out');
  });

  it('throws typed errors for a missing template and a broken one', async () => {
    await expect(
      renderMessage(
        byId('after-sale-care'),
        touch({ campaignId: 'after-sale-care', channel: 'sms', template: 'first-month' }),
        {
          customer: exampleCustomer('c-1003'),
          unsubscribeUrl: 'u',
        },
      ),
    ).rejects.toBeInstanceOf(TemplateNotFoundError);
    const broken = campaign();
    broken.templates.t = { email: { 'en-US': { subject: 'ok', text: '{% if customer.name %}unclosed' } } };
    await expect(
      renderMessage(broken, touch({ campaignId: 'camp', stepId: 's1', template: 't', locale: 'en-US' }), {
        customer: customer('c1'),
        unsubscribeUrl: 'u',
      }),
    ).rejects.toBeInstanceOf(TemplateRenderError);
  });
});
