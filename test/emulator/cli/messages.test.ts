// What customers receive, through the real CLI and the local servers (issue 12 item 5): a campaign
// email is multipart (text and the MJML layout's HTML) with the sender's footer, products read by
// name, SMS typed by campaign, and SMS timed by the phone country's quiet hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractsEndingOn, renewalDayCampaign } from '../support/fixtures.js';
import { cliWorkspace, json } from './cli.js';

const D = '2026-11-26';
const outboxSchema = z.object({
  messages: z.array(
    z.object({
      channel: z.string(),
      to: z.string(),
      from: z.string(),
      subject: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      text: z.string().optional(),
      html: z.string().optional(),
      messageType: z.string().optional(),
    }),
  ),
});
const touchesSchema = z.object({
  touches: z.array(
    z.object({
      customerId: z.string(),
      channel: z.string(),
      sendAt: z.string(),
      status: z.string(),
      reason: z.string().optional(),
    }),
  ),
});

const settings = {
  tiers: [{ id: 'standard', minMonthlyValue: 0 }],
  products: { 'mobile-plan-128': { name: { 'en-US': 'Unlimited 128', 'zh-CN': '畅享128' } } },
  sender: {
    fromName: 'Acme Mobile',
    postalAddress: 'Acme Mobile Ltd\n1 Harbour Road\nSan Francisco, CA 94105',
  },
  // Allowed SMS periods, local time: US from 10:30; CN only after the campaign window has closed.
  quietHours: { US: { start: '10:30', end: '20:00' }, CN: { start: '19:00', end: '21:00' } },
};
const customers = [
  {
    id: 'c-us',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: '+14155550123',
    locale: 'en-US',
    timeZone: 'America/Los_Angeles',
    monthlyValue: 50,
    consent: { email: true, sms: true },
  },
  {
    id: 'c-cn',
    name: '陈静',
    email: 'chen@example.com',
    phone: '+8613800138000',
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    monthlyValue: 50,
    consent: { email: true, sms: true },
  },
];
const contracts = contractsEndingOn(customers, D, 'mobile-plan-128');
const campaign = renewalDayCampaign({
  id: 'renewal-day',
  name: 'Renewal day',
  channels: ['email', 'sms'],
  smsType: 'transactional',
  templates: {
    t: {
      email: {
        'en-US': {
          subject: 'Your {{ contract.productName }} plan ends today',
          text: 'Hi {{ customer.name }}, your {{ contract.productName }} plan ends today.\nUnsubscribe: {{ unsubscribeUrl }}',
        },
        'zh-CN': {
          subject: '您的{{ contract.productName }}套餐今天到期',
          text: '{{ customer.name }}您好：您的{{ contract.productName }}套餐今天到期。\n退订：{{ unsubscribeUrl }}',
        },
      },
      sms: {
        'en-US': { text: 'Acme: your {{ contract.productName }} plan ends today. Reply STOP to opt out' },
        'zh-CN': { text: '【Acme】您的{{ contract.productName }}套餐今天到期。回复T退订' },
      },
    },
  },
});

const workspace = cliWorkspace('tp-cli-messages-');
const { run } = workspace;

beforeAll(() => workspace.seed({ settings, customers, contracts, campaign }));

afterAll(() => workspace.dispose());

describe('messages through the local servers', () => {
  it('times an SMS by its phone country quiet hours and suppresses one with no allowed time left', async () => {
    const r = await run('plan', '--date', D, '--json');
    expect(r.code, r.stderr).toBe(0);
    const byKey = new Map(
      touchesSchema.parse(json(r)).touches.map((t) => [`${t.customerId}/${t.channel}`, t]),
    );
    // Email keeps the window start (09:00 PST = 17:00Z); the US SMS waits for 10:30 PST.
    expect(byKey.get('c-us/email')).toMatchObject({ status: 'planned', sendAt: `${D}T17:00:00.000Z` });
    expect(byKey.get('c-us/sms')).toMatchObject({ status: 'planned', sendAt: `${D}T18:30:00.000Z` });
    // CN allows 19:00–21:00 only, after the 09:00–18:00 window: suppressed, at the later start.
    expect(byKey.get('c-cn/sms')).toMatchObject({
      status: 'suppressed',
      reason: 'quiet-hours',
      sendAt: `${D}T11:00:00.000Z`,
    });
  });

  it('sends a campaign email as text and HTML with the sender footer, products by name, and SMS as the campaign types them', async () => {
    const r = await run('run', '--date', D, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = await run('outbox', '--json');
    expect(out.code, out.stderr).toBe(0);
    const { messages } = outboxSchema.parse(json(out));
    const ada = messages.find((m) => m.channel === 'email' && m.to === 'ada@example.com');
    expect(ada?.subject).toBe('Your Unlimited 128 plan ends today');
    expect(ada?.from).toMatch(/^"Acme Mobile" <.+@.+>$/);
    expect(ada?.text).toContain(
      '\n-- \nAcme Mobile\nAcme Mobile Ltd\n1 Harbour Road\nSan Francisco, CA 94105\n',
    );
    expect(ada?.html).toContain('<!doctype html>');
    expect(ada?.html).toContain('1 Harbour Road<br>');
    expect(ada?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const chen = messages.find((m) => m.channel === 'email' && m.to === 'chen@example.com');
    expect(chen?.subject).toBe('您的畅享128套餐今天到期');
    expect(chen?.html).toContain('<html lang="zh-CN"');
    expect(chen?.html).toContain('退订或选择您想收到的邮件');
    const sms = messages.filter((m) => m.channel === 'sms');
    expect(sms.map((m) => [m.to, m.messageType, m.text])).toEqual([
      ['+14155550123', 'TRANSACTIONAL', 'Acme: your Unlimited 128 plan ends today. Reply STOP to opt out'],
    ]);
  });
});
