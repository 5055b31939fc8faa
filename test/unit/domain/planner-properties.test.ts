import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../shared/domain/documents.js';
import { type CampaignToPlan, candidateKeys, planDay } from '../../../shared/domain/planner.js';
import { type Delivery, touchKeyString } from '../../../shared/domain/touch.js';
import { campaign, customer, SETTINGS } from './fixtures.js';
import { countedFrom, D, delivery, input, occ } from './planner-helpers.js';

// ------------------------------------------------------------------ properties over random days

const customerArb = (id: string) =>
  fc
    .record({
      monthlyValue: fc.constantFrom(0, 50, 150, 700),
      email: fc.boolean(),
      phone: fc.boolean(),
      consentEmail: fc.boolean(),
      consentSms: fc.boolean(),
      timeZone: fc.constantFrom('Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Auckland'),
    })
    .map((r) =>
      customer(id, {
        monthlyValue: r.monthlyValue,
        email: r.email ? `${id}@example.com` : undefined,
        phone: r.phone ? '+14155550123' : undefined,
        consent: { email: r.consentEmail, sms: r.consentSms },
        timeZone: r.timeZone,
      }),
    );

const channelsArb = fc
  .subarray<Channel>(['email', 'sms'])
  .chain((chs) => fc.shuffledSubarray(chs, { minLength: chs.length }));

const dayArb = fc
  .tuple(
    fc.tuple(customerArb('c1'), customerArb('c2'), customerArb('c3'), customerArb('c4')),
    fc.array(
      fc.record({
        priority: fc.integer({ min: 0, max: 3 }),
        cap: fc.option(
          fc.record({ max: fc.integer({ min: 1, max: 3 }), perDays: fc.integer({ min: 1, max: 10 }) }),
          { nil: undefined },
        ),
        holdoutPercent: fc.constantFrom(0, 0, 30),
        paused: fc.boolean(),
        steps: fc.array(fc.record({ key: channelsArb, business: channelsArb, standard: channelsArb }), {
          minLength: 1,
          maxLength: 2,
        }),
        due: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('o1', 'o2')), {
          maxLength: 6,
        }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom<Channel>('email', 'sms'),
        fc.integer({ min: 0, max: 12 }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([customers, specs, history]) => {
    const campaigns = specs.map((s, i): CampaignToPlan => {
      const camp = campaign({
        id: `camp-${i}`,
        priority: s.priority,
        frequencyCap: s.cap,
        holdoutPercent: s.holdoutPercent,
        steps: s.steps.map((channels, j) => ({ id: `s${j}`, offsetDays: j, channels, template: 't' })),
      });
      const occurrences = s.due.map(([ci, occasion]) => occ(customers[ci] ?? customers[0], occasion));
      return {
        campaign: camp,
        paused: s.paused,
        dueByStep: new Map(camp.steps.map((st) => [st.id, occurrences])),
      };
    });
    // Earlier messages from other runs, with due dates up to 12 days back.
    const past: Delivery[] = history.map(([ci, channel, back], k) => ({
      campaignId: 'old',
      stepId: 'x',
      customerId: customers[ci]?.id ?? 'c1',
      channel,
      occasion: `old-${k}`,
      status: 'sent',
      dueDate: new Date(Date.parse(`${D}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10),
      sendAt: `${D}T00:00:00.000Z`,
      runId: 'r-old',
      updatedAt: `${D}T00:00:00.000Z`,
    }));
    return { campaigns, past };
  });

describe('planDay properties', () => {
  it('a replan with every planned touch in the ledger as sent plans nothing new', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(dayArb, ({ campaigns, past }) => {
        const first = planDay(input({ campaigns, countedDueDates: countedFrom(past) }));
        const ledgerRows = [
          ...past,
          ...first.filter((t) => t.status === 'planned').map((t) => delivery(t, 'sent')),
        ];
        const second = planDay(
          input({
            campaigns,
            countedDueDates: countedFrom(ledgerRows),
            ledger: new Map(ledgerRows.map((r) => [touchKeyString(r), r])),
          }),
        );
        expect(second.filter((t) => t.status === 'planned')).toEqual([]);
        // Same touches, same order; what was planned is now already-sent.
        expect(second.map(touchKeyString)).toEqual(first.map(touchKeyString));
        second.forEach((t, i) => {
          if (first[i]?.status === 'planned') expect(t.reason).toBe('already-sent');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never exceeds a cap, counting the ledger window and earlier touches of the run', {
    timeout: 60_000,
  }, () => {
    let capped = 0;
    fc.assert(
      fc.property(dayArb, ({ campaigns, past }) => {
        const touches = planDay(input({ campaigns, countedDueDates: countedFrom(past) }));
        const caps = new Map(campaigns.map((c) => [c.campaign.id, c.campaign.frequencyCap]));
        touches.forEach((t, i) => {
          const cap = caps.get(t.campaignId);
          if (t.status !== 'planned' || !cap) return;
          const from = new Date(Date.parse(`${D}T00:00:00Z`) - (cap.perDays - 1) * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const inLedger = countedFrom(past)(t.customerId, t.channel).filter(
            (d) => d >= from && d <= D,
          ).length;
          const inRun = touches
            .slice(0, i + 1)
            .filter(
              (u) => u.status === 'planned' && u.customerId === t.customerId && u.channel === t.channel,
            ).length;
          expect(inLedger + inRun).toBeLessThanOrEqual(cap.max);
        });
        capped += touches.filter((t) => t.reason === 'frequency-cap').length;
      }),
      { numRuns: 300 },
    );
    expect(capped).toBeGreaterThan(0);
  });

  it('candidateKeys lists exactly the keys planDay produces', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(dayArb, ({ campaigns }) => {
        const planned = new Set(planDay(input({ campaigns })).map(touchKeyString));
        expect(new Set(candidateKeys(campaigns, SETTINGS).map(touchKeyString))).toEqual(planned);
      }),
    );
  });

  it('is deterministic whatever order the campaigns and occurrences arrive in', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(dayArb, fc.integer(), ({ campaigns, past }, seed) => {
        const shuffled = [...campaigns].map((c) => ({
          ...c,
          dueByStep: new Map([...c.dueByStep].map(([k, v]) => [k, [...v].reverse()])),
        }));
        if (seed % 2 === 0) shuffled.reverse();
        const a = planDay(input({ campaigns, countedDueDates: countedFrom(past) }));
        const b = planDay(input({ campaigns: shuffled, countedDueDates: countedFrom(past) }));
        expect(b).toEqual(a);
      }),
    );
  });
});
