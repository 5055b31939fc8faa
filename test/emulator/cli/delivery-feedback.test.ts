// Delivery feedback through the real CLI on the local stack (issue 12 item 3): a run sends to SES's
// mailbox simulator addresses and End User Messaging's simulator numbers; the events the providers
// would publish reach delivery-events as in the cloud, and the ledger rows, the suppression list and
// consent show them (docs/delivery-feedback.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractsEndingOn, renewalDayCampaign } from '../support/fixtures.js';
import { cliWorkspace, json } from './cli.js';

const D = '2026-11-26';
const SIM = 'simulator.amazonses.com';
const SMS_SUCCESS = '+14254147755';
const SMS_FAILURE = '+14254147167';

const people = [
  ['c-success', `success@${SIM}`],
  ['c-bounce', `bounce@${SIM}`],
  ['c-complaint', `complaint@${SIM}`],
  ['c-listed', `suppressionlist@${SIM}`],
  ['c-ooto', `ooto@${SIM}`],
] as const;
const customers = [
  ...people.map(([id, email]) => ({
    id,
    name: 'Ada Lovelace',
    email,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 50,
    consent: { email: true, sms: true },
  })),
  ...(
    [
      ['c-sms-ok', SMS_SUCCESS],
      ['c-sms-fail', SMS_FAILURE],
    ] as const
  ).map(([id, phone]) => ({
    id,
    name: 'Grace Hopper',
    phone,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 50,
    consent: { email: true, sms: true },
  })),
];
const contracts = contractsEndingOn(customers, D, 'mobile-plan-38');
const campaign = renewalDayCampaign({
  id: 'renewal',
  name: 'Renewal',
  channels: ['email', 'sms'],
  templates: {
    t: {
      email: {
        'en-US': {
          subject: 'Your plan ends today',
          text: 'Hi {{ customer.name }}, your plan ends today.\nUnsubscribe: {{ unsubscribeUrl }}',
        },
      },
      sms: { 'en-US': { text: 'Your plan ends today. Reply RENEW to renew, STOP to opt out' } },
    },
  },
});

const deliveriesSchema = z.object({
  deliveries: z.array(
    z.object({
      customerId: z.string(),
      channel: z.string(),
      status: z.string(),
      delivery: z.string().optional(),
      deliveryEvents: z.array(z.object({ type: z.string(), at: z.string() })),
    }),
  ),
});
const suppressionsSchema = z.object({
  suppressions: z.array(z.object({ address: z.string(), reason: z.string() })),
});
const showSchema = z.object({
  consent: z.object({ email: z.boolean(), sms: z.boolean() }),
  consentHistory: z.array(
    z.object({
      channel: z.string(),
      value: z.boolean(),
      source: z.string(),
      evidence: z.string().optional(),
    }),
  ),
});

const workspace = cliWorkspace('tp-cli-feedback-');
const { run, dataDir } = workspace;
const ok = async (...args: string[]) => {
  const r = await run(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  return r;
};

/** The ledger's sent rows by `customer/channel`, once each has seen its final provider event. */
async function settledRows(final: Record<string, number>) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const rows = deliveriesSchema.parse(json(await ok('deliveries', '--json'))).deliveries;
    const byKey = new Map(rows.map((r) => [`${r.customerId}/${r.channel}`, r]));
    const done = Object.entries(final).every(([k, n]) => (byKey.get(k)?.deliveryEvents.length ?? 0) >= n);
    if (done || Date.now() > deadline) return byKey;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

beforeAll(() =>
  workspace.seed({
    settings: { tiers: [{ id: 'standard', minMonthlyValue: 0 }] },
    customers,
    contracts,
    campaign,
  }),
);

afterAll(() => workspace.dispose());

describe('delivery feedback on the local stack', () => {
  it('sends to the simulators, and the ledger, suppression list and consent show what came back', async () => {
    await ok('run', '--date', D, '--json');
    const rows = await settledRows({
      'c-success/email': 2,
      'c-bounce/email': 2,
      'c-complaint/email': 3,
      'c-listed/email': 2,
      'c-ooto/email': 2,
      'c-sms-ok/sms': 2,
      'c-sms-fail/sms': 1,
    });
    const state = (k: string) => rows.get(k)?.delivery;
    expect(state('c-success/email')).toBe('delivered');
    expect(state('c-ooto/email')).toBe('delivered');
    expect(state('c-bounce/email')).toBe('bounced');
    expect(state('c-listed/email')).toBe('bounced');
    expect(state('c-complaint/email')).toBe('complained');
    expect(rows.get('c-complaint/email')?.deliveryEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(['Send', 'Delivery', 'Complaint']),
    );
    expect(state('c-sms-ok/sms')).toBe('delivered');
    expect(state('c-sms-fail/sms')).toBe('failed');
    // A row with nothing sent carries an empty timeline and no delivery state.
    expect(rows.get('c-success/sms')).toMatchObject({ status: 'suppressed', deliveryEvents: [] });
    expect(rows.get('c-success/sms')?.delivery).toBeUndefined();

    const listed = suppressionsSchema.parse(json(await ok('suppression', 'list', '--json'))).suppressions;
    expect(new Map(listed.map((s) => [s.address, s.reason]))).toEqual(
      new Map([
        [`bounce@${SIM}`, 'bounced'],
        [`suppressionlist@${SIM}`, 'bounced'],
        [`complaint@${SIM}`, 'complained'],
      ]),
    );

    const complainer = showSchema.parse(json(await ok('customer', 'show', 'c-complaint', '--json')));
    expect(complainer.consent.email).toBe(false);
    expect(complainer.consentHistory).toEqual([
      expect.objectContaining({ channel: 'email', value: false, source: 'complaint' }),
    ]);
    expect(showSchema.parse(json(await ok('customer', 'show', 'c-bounce', '--json'))).consent.email).toBe(
      true,
    );
  });

  it('reports an open and a click pressed on the mailbox page as SES would, each once', async () => {
    const outbox = z
      .object({ messages: z.array(z.object({ messageId: z.string(), to: z.string() })) })
      .parse(json(await ok('outbox', '--channel', 'email', '--json'))).messages;
    const message = outbox.find((m) => m.to.includes(`success@${SIM}`));
    const runtime = z
      .object({ mailboxUrl: z.string() })
      .parse(JSON.parse(readFileSync(join(dataDir(), 'runtime.json'), 'utf8')));
    const page = await fetch(runtime.mailboxUrl);
    expect(await page.text()).toContain('/touchpoint/engagement');
    for (const kind of ['Open', 'Click']) {
      const r = await fetch(new URL('/touchpoint/engage', runtime.mailboxUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ messageId: message?.messageId, kind }),
      });
      expect(r.status).toBe(202);
    }
    const forged = await fetch(new URL('/touchpoint/engage', runtime.mailboxUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: 'not-a-message', kind: 'Click' }),
    });
    expect(forged.status).toBe(400);
    const rows = await settledRows({ 'c-success/email': 4 });
    expect(rows.get('c-success/email')?.delivery).toBe('clicked');
    // EventBridge keeps no order between events: the timeline holds each once, delivery the latest.
    expect(
      rows
        .get('c-success/email')
        ?.deliveryEvents.map((e) => e.type)
        .sort(),
    ).toEqual(['Click', 'Delivery', 'Open', 'Send']);
  });

  it('plans the next touch of a bounced or complaining address as suppressed', async () => {
    const r = await ok('plan', '--date', D, '--json');
    const touches = z
      .object({
        touches: z.array(
          z.object({
            customerId: z.string(),
            channel: z.string(),
            status: z.string(),
            reason: z.string().optional(),
          }),
        ),
      })
      .parse(json(r)).touches;
    const email = new Map(touches.filter((t) => t.channel === 'email').map((t) => [t.customerId, t]));
    // The complaint opted the customer out (checked before the address); the bounce listed it.
    expect(email.get('c-complaint')).toMatchObject({ status: 'suppressed', reason: 'no-consent' });
    expect(email.get('c-bounce')).toMatchObject({ status: 'suppressed', reason: 'suppressed-address' });
  });
});
