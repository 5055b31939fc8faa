import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customerAddress } from '../../../shared/domain/addresses.js';
import type { Channel, Customer } from '../../../shared/domain/documents.js';
import { planDay } from '../../../shared/domain/planner.js';
import {
  type Delivery,
  type DeliveryStatus,
  type PlannedTouch,
  SUPPRESSION_REASONS,
  touchKeyString,
} from '../../../shared/domain/touch.js';
import { campaign, customer, SETTINGS } from './fixtures.js';
import { D, delivery, due, input, occ } from './planner-helpers.js';

describe('planDay', () => {
  it('fills a touch from the customer, step and send window', () => {
    const c = customer('c1', {
      monthlyValue: 600,
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      email: ' Li.Wei@Example.com ',
    });
    const touches = planDay(input({ campaigns: [due(campaign(), [occ(c)])] }));
    expect(touches).toEqual<PlannedTouch[]>([
      {
        campaignId: 'camp',
        stepId: 's1',
        customerId: 'c1',
        channel: 'email',
        occasion: '2026-09-27',
        tier: 'key',
        locale: 'zh-CN',
        dueDate: D,
        sendAt: '2026-11-26T01:00:00.000Z',
        windowEnd: '2026-11-26T10:00:00.000Z',
        status: 'planned',
        address: 'li.wei@example.com',
        template: 't',
        seq: 0,
      },
      expect.objectContaining({ channel: 'sms', status: 'planned', address: '+14155550123', seq: 1 }),
    ]);
  });

  it('orders campaigns by priority then id, steps in order, customers by id, channels as listed', () => {
    const steps = [
      { id: 'b-step', offsetDays: 0, channels: { standard: ['sms', 'email'] }, template: 't' },
      { id: 'a-step', offsetDays: 0, channels: { standard: ['email'] }, template: 't' },
    ];
    const low = campaign({ id: 'low', priority: 1, steps });
    const highB = campaign({ id: 'high-b', priority: 5, steps });
    const highA = campaign({ id: 'high-a', priority: 5, steps });
    const cs = [customer('c2'), customer('c10'), customer('c1')];
    const touches = planDay(
      input({
        campaigns: [
          due(
            low,
            cs.map((c) => occ(c)),
          ),
          due(
            highB,
            cs.map((c) => occ(c)),
          ),
          due(highA, [occ(customer('c3'))]),
        ],
      }),
    );
    const order = touches.map((t) => `${t.campaignId}/${t.stepId}/${t.customerId}/${t.channel}`);
    expect(order.slice(0, 3)).toEqual([
      'high-a/b-step/c3/sms',
      'high-a/b-step/c3/email',
      'high-a/a-step/c3/email',
    ]);
    expect(order.slice(3, 9)).toEqual([
      'high-b/b-step/c1/sms',
      'high-b/b-step/c1/email',
      'high-b/b-step/c10/sms',
      'high-b/b-step/c10/email',
      'high-b/b-step/c2/sms',
      'high-b/b-step/c2/email',
    ]);
    expect(order.filter((o) => o.startsWith('low/'))).toHaveLength(9);
  });

  it('gives nothing to customers outside the audience or in a tier the step does not list', () => {
    const c = campaign({
      audience: { locales: ['en-US'] },
      steps: [{ id: 's1', offsetDays: 0, channels: { key: ['email'] }, template: 't' }],
    });
    const touches = planDay(
      input({
        campaigns: [
          due(c, [
            occ(customer('in', { monthlyValue: 900 })),
            occ(customer('gb', { monthlyValue: 900, locale: 'en-GB' })),
            occ(customer('std', { monthlyValue: 5 })),
          ]),
        ],
      }),
    );
    expect(touches.map((t) => t.customerId)).toEqual(['in']);
  });

  it('applies the reasons in the contract order: each one wins over every later one', {
    timeout: 60_000,
  }, () => {
    type Flags = Record<(typeof SUPPRESSION_REASONS)[number], boolean>;
    const flagsArb = fc.record<Flags>({
      paused: fc.boolean(),
      holdout: fc.boolean(),
      'no-consent': fc.boolean(),
      'no-address': fc.boolean(),
      'suppressed-address': fc.boolean(),
      'already-sent': fc.boolean(),
      'quiet-hours': fc.boolean(),
      'frequency-cap': fc.boolean(),
    });
    fc.assert(
      fc.property(flagsArb, fc.constantFrom<Channel>('email', 'sms'), (f, channel) => {
        const camp = campaign({
          holdoutPercent: f.holdout ? 100 : 0,
          frequencyCap: { max: 1, perDays: 7 },
          steps: [{ id: 's1', offsetDays: 0, channels: { standard: [channel] }, template: 't' }],
        });
        const base = customer('c1', { consent: { email: !f['no-consent'], sms: !f['no-consent'] } });
        const c: Customer = f['no-address'] ? { ...base, email: undefined, phone: undefined } : base;
        const key = { campaignId: 'camp', stepId: 's1', customerId: 'c1', channel, occasion: '2026-09-27' };
        const ledgerRow: Delivery = {
          ...key,
          status: 'sent',
          dueDate: '2026-09-01',
          sendAt: '2026-09-01T16:00:00.000Z',
          runId: 'r',
          updatedAt: '2026-09-01T16:00:00.000Z',
        };
        const address = customerAddress(base, channel) ?? '';
        const [t] = planDay(
          input({
            // US quiet hours that leave no time inside the 09:00–18:00 window (SMS only).
            settings: f['quiet-hours']
              ? { ...SETTINGS, quietHours: { US: { start: '19:00', end: '21:00' } } }
              : SETTINGS,
            campaigns: [due(camp, [occ(c)], f.paused)],
            ledger: f['already-sent'] ? new Map([[touchKeyString(key), ledgerRow]]) : new Map(),
            countedDueDates: () => (f['frequency-cap'] ? [D] : []),
            suppressedAddresses: new Set(f['suppressed-address'] ? [address] : []),
          }),
        );
        const applies = (r: (typeof SUPPRESSION_REASONS)[number]) =>
          f[r] && (r !== 'quiet-hours' || channel === 'sms');
        const expected = SUPPRESSION_REASONS.find(applies);
        expect(t?.reason).toBe(expected);
        expect(t?.status).toBe(expected ? 'suppressed' : 'planned');
      }),
      { numRuns: 300 },
    );
  });

  it.each<[DeliveryStatus, boolean]>([
    ['sent', true],
    ['reserved', true],
    ['unknown', true],
    ['suppressed', false],
    ['failed', false],
    ['expired', false],
    ['deferred', false],
  ])('a ledger row %s blocks the key: %s', (status, blocks) => {
    const camp = campaign();
    const [first] = planDay(input({ campaigns: [due(camp, [occ(customer('c1'))])] }));
    if (!first) throw new Error('expected a touch');
    const [again] = planDay(
      input({
        campaigns: [due(camp, [occ(customer('c1'))])],
        ledger: new Map([[touchKeyString(first), delivery(first, status)]]),
      }),
    );
    expect(again?.reason).toBe(blocks ? 'already-sent' : undefined);
  });

  it('counts the cap over the perDays local days ending on D, ledger and this run, across campaigns', () => {
    const cap = { max: 2, perDays: 7 };
    const c = customer('c1');
    const first = campaign({ id: 'first', priority: 9, frequencyCap: cap });
    const second = campaign({ id: 'second', priority: 5, frequencyCap: cap });
    const uncapped = campaign({ id: 'uncapped', priority: 1 });
    const plan = (ledgerDates: string[]) =>
      planDay(
        input({
          campaigns: [due(second, [occ(c)]), due(first, [occ(c)]), due(uncapped, [occ(c)])],
          countedDueDates: (_id, ch) => (ch === 'email' ? ledgerDates : []),
        }),
      ).map((t) => `${t.campaignId}:${t.reason ?? 'planned'}`);
    // D − 7 is outside the window, D − 6 inside.
    expect(plan(['2026-11-19', '2026-11-27'])).toEqual([
      'first:planned',
      'second:planned',
      'uncapped:planned',
    ]);
    expect(plan(['2026-11-20'])).toEqual(['first:planned', 'second:frequency-cap', 'uncapped:planned']);
    expect(plan(['2026-11-20', D])).toEqual([
      'first:frequency-cap',
      'second:frequency-cap',
      'uncapped:planned',
    ]);
  });

  it('a suppressed touch does not count towards the cap', () => {
    const cap = { max: 1, perDays: 7 };
    const c = customer('c1');
    const paused = campaign({ id: 'paused', priority: 9, frequencyCap: cap });
    const live = campaign({ id: 'live', priority: 1, frequencyCap: cap });
    const touches = planDay(input({ campaigns: [due(paused, [occ(c)], true), due(live, [occ(c)])] }));
    expect(touches.map((t) => t.reason ?? 'planned')).toEqual(['paused', 'planned']);
  });

  it('plans one touch for an occurrence read twice', () => {
    const c = customer('c1');
    expect(planDay(input({ campaigns: [due(campaign(), [occ(c), occ(c)])] }))).toHaveLength(1);
  });
});
