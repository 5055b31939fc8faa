// Two-way SMS through the real CLI on the local stack (issue 12 item 4): `sms reply FROM TEXT` is
// handled as the cloud's inbound path handles a message. STOP-type keywords opt the customer out
// (consent history with source sms-keyword) and are answered in the customer's locale in the
// outbox; the next plan says no-consent; other texts become sms.reply events; strangers get no
// answer; oversized replies are refused and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_INBOUND_SMS_CHARS } from '../../../shared/domain/limits.js';
import { contractsEndingOn, renewalDayCampaign } from '../support/fixtures.js';
import { cliWorkspace, json } from './cli.js';

const D = '2026-11-26';
const US = '+14155550123';
const CN = '+8613800138000';

const smsOutboxSchema = z.object({
  messages: z.array(z.object({ channel: z.string(), to: z.string(), text: z.string().optional() })),
});
const planSchema = z.object({
  touches: z.array(
    z.object({
      customerId: z.string(),
      channel: z.string(),
      status: z.string(),
      reason: z.string().optional(),
    }),
  ),
});
const showSchema = z.object({
  consent: z.object({ sms: z.boolean() }),
  consentHistory: z.array(
    z.object({
      channel: z.string(),
      value: z.boolean(),
      source: z.string(),
      evidence: z.string().optional(),
    }),
  ),
  events: z.array(z.object({ type: z.string(), data: z.record(z.string(), z.unknown()).optional() })),
});

const customers = [
  {
    id: 'c-us',
    name: 'Ada Lovelace',
    phone: US,
    locale: 'en-US',
    timeZone: 'America/Los_Angeles',
    monthlyValue: 50,
    consent: { email: true, sms: true },
  },
  {
    id: 'c-cn',
    name: '陈静',
    phone: CN,
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    monthlyValue: 50,
    consent: { email: true, sms: true },
  },
];
const contracts = contractsEndingOn(customers, D, 'mobile-plan-38');
const campaign = renewalDayCampaign({
  id: 'renewal-sms',
  name: 'Renewal by SMS',
  channels: ['sms'],
  templates: {
    t: {
      sms: {
        'en-US': { text: 'Your plan ends today. Reply RENEW to renew, STOP to opt out' },
        'zh-CN': { text: '【Acme】您的套餐今天到期。回复XY续约，回复T退订' },
      },
    },
  },
});

const workspace = cliWorkspace('tp-cli-two-way-');
const { run } = workspace;
const smsOutbox = async () => {
  const r = await run('outbox', '--channel', 'sms', '--json');
  expect(r.code, r.stderr).toBe(0);
  return smsOutboxSchema.parse(json(r)).messages;
};
const show = async (id: string) => {
  const r = await run('customer', 'show', id, '--json');
  expect(r.code, r.stderr).toBe(0);
  return showSchema.parse(json(r));
};
const smsTouches = async () => {
  const r = await run('plan', '--date', D, '--json');
  expect(r.code, r.stderr).toBe(0);
  return new Map(
    planSchema
      .parse(json(r))
      .touches.filter((t) => t.channel === 'sms')
      .map((t) => [t.customerId, t]),
  );
};

beforeAll(() =>
  workspace.seed({
    settings: { tiers: [{ id: 'standard', minMonthlyValue: 0 }], sender: { fromName: 'Acme' } },
    customers,
    contracts,
    campaign,
  }),
);

afterAll(() => workspace.dispose());

describe('touchpoint sms reply', () => {
  it('opts a customer out on T, answers in Chinese in the outbox, and the next plan says no-consent', async () => {
    expect((await smsTouches()).get('c-cn')).toMatchObject({ status: 'planned' });

    const r = await run('sms', 'reply', CN, 'T', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({
      ok: true,
      outcome: 'opt-out',
      keyword: 'T',
      customerIds: ['c-cn'],
      consent: { 'c-cn': 'applied' },
      replied: true,
    });

    const view = await show('c-cn');
    expect(view.consent.sms).toBe(false);
    expect(view.consentHistory).toContainEqual(
      expect.objectContaining({ channel: 'sms', value: false, source: 'sms-keyword', evidence: 'T' }),
    );
    const answers = (await smsOutbox()).filter((m) => m.to === CN);
    expect(answers).toHaveLength(1);
    // Signed with the settings' sender name, as carriers in China require.
    expect(answers[0]?.text).toMatch(/^【Acme】您已退订/);

    const touches = await smsTouches();
    expect(touches.get('c-cn')).toMatchObject({ status: 'suppressed', reason: 'no-consent' });
    expect(touches.get('c-us')).toMatchObject({ status: 'planned' });
  });

  it('opts an English customer out on STOP and back in on START, each answered in English', async () => {
    for (const [text, sms] of [
      ['stop', false],
      ['START', true],
    ] as const) {
      const r = await run('sms', 'reply', US, text, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect((await show('c-us')).consent.sms).toBe(sms);
    }
    const answers = (await smsOutbox()).filter((m) => m.to === US).map((m) => m.text);
    expect(answers).toEqual([
      expect.stringMatching(/unsubscribed/),
      expect.stringMatching(/subscribed to our text messages again/),
    ]);
    expect((await smsTouches()).get('c-us')).toMatchObject({ status: 'planned' });
  });

  it('records any other text as an sms.reply event of that customer, unanswered', async () => {
    const before = (await smsOutbox()).length;
    const r = await run('sms', 'reply', US, 'renew', 'please', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ outcome: 'reply', keyword: 'RENEW', customerIds: ['c-us'] });
    expect((await show('c-us')).events).toContainEqual(
      expect.objectContaining({ type: 'sms.reply', data: { keyword: 'RENEW', text: 'renew please' } }),
    );
    expect(await smsOutbox()).toHaveLength(before);
  });

  it('records a reply from an unknown number and sends it no answer', async () => {
    const before = (await smsOutbox()).length;
    const r = await run('sms', 'reply', '+14155550999', 'STOP', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ outcome: 'unknown-number' });
    expect(await smsOutbox()).toHaveLength(before);
  });

  it('refuses an oversized reply with exit 1 and changes nothing', async () => {
    const before = (await smsOutbox()).length;
    const r = await run('sms', 'reply', US, 'S'.repeat(MAX_INBOUND_SMS_CHARS + 1), '--json');
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, errors: [{ path: 'text' }] });
    const view = await show('c-us');
    expect(view.consent.sms).toBe(true);
    expect(view.events.filter((e) => e.type === 'sms.reply')).toHaveLength(1);
    expect(await smsOutbox()).toHaveLength(before);
  });

  it('refuses a sender that is not a phone number', async () => {
    const r = await run('sms', 'reply', 'c-us', 'STOP', '--json');
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, errors: [{ path: 'from' }] });
  });
});
