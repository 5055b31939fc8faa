// examples/README.md, table by table: the planner over the example files must give exactly these touches.
import { describe, expect, it } from 'vitest';
import { type Delivery, type PlannedTouch, touchKeyString } from '../../../shared/domain/touch.js';
import { planDayTouches } from '../../../shared/usecases/plan-day.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';
import { type ExampleData, loadExamples } from './example-data.js';

type Row = [
  campaign: string,
  step: string,
  customer: string,
  channel: string,
  status: string,
  reason: string,
  sendAt: string,
];

const data = loadExamples();

/** The production planning use case over in-memory ports holding the example files and `ledger`. */
async function plan(date: string, ledger: Delivery[]): Promise<PlannedTouch[]> {
  const store = memoryStores();
  await store.settings.putSettings(data.settings);
  await store.documents.putCustomers(data.customers);
  await store.documents.putContracts(data.contracts);
  await store.documents.putEvents(data.events);
  for (const campaign of data.campaigns) await store.campaigns.putCampaign(campaign);
  for (const d of ledger) store.ledger.rows.set(touchKeyString(d), d);
  return planDayTouches({ store }, { date });
}

const rows = (touches: PlannedTouch[]): Row[] =>
  touches.map((t) => [t.campaignId, t.stepId, t.customerId, t.channel, t.status, t.reason ?? '', t.sendAt]);

const asSent = (touches: PlannedTouch[]): Delivery[] =>
  touches
    .filter((t) => t.status === 'planned')
    .map((t) => ({ ...t, status: 'sent', runId: 'run-11-26', updatedAt: t.sendAt }));

describe('worked example (examples/README.md)', () => {
  it('parses every example file with the contract schemas', () => {
    const counts: Record<keyof ExampleData, number> = {
      settings: 1,
      customers: data.customers.length,
      contracts: data.contracts.length,
      events: data.events.length,
      campaigns: data.campaigns.length,
    };
    expect(counts).toEqual({ settings: 1, customers: 6, contracts: 6, events: 2, campaigns: 5 });
  });

  it('2026-11-26: the run', async () => {
    expect(rows(await plan('2026-11-26', []))).toEqual<Row[]>([
      ['service-recovery', 'd2', 'c-1003', 'email', 'planned', '', '2026-11-26T01:00:00.000Z'],
      ['contract-renewal', 'd-30', 'c-1003', 'email', 'planned', '', '2026-11-26T01:00:00.000Z'],
      ['contract-renewal', 'd-14', 'c-1002', 'email', 'planned', '', '2026-11-26T17:00:00.000Z'],
      ['win-back', 'd60', 'c-1002', 'email', 'suppressed', 'holdout', '2026-11-26T18:00:00.000Z'],
    ]);
  });

  it('2026-11-26: occasions, tiers and windows of the run', async () => {
    const touches = await plan('2026-11-26', []);
    expect(touches.map((t) => t.seq)).toEqual([0, 1, 2, 3]);
    expect(touches.map((t) => [t.contract?.id, t.event?.id])).toEqual([
      [undefined, 'ev-3001'],
      ['k-2003', undefined],
      ['k-2002', undefined],
      [undefined, undefined],
    ]);
    expect(touches.map((t) => [t.occasion, t.tier, t.locale, t.windowEnd, t.address])).toEqual([
      ['ev-3001', 'standard', 'zh-CN', '2026-11-26T12:00:00.000Z', 'chen.jing@example.com'],
      ['k-2003:2026-12-26', 'standard', 'zh-CN', '2026-11-26T12:00:00.000Z', 'chen.jing@example.com'],
      ['k-2002:2026-12-10', 'business', 'en-US', '2026-11-27T04:00:00.000Z', 'maria.garcia@example.com'],
      ['2026-09-27', 'business', 'en-US', '2026-11-27T03:00:00.000Z', 'maria.garcia@example.com'],
    ]);
  });

  describe('after the 11-26 run (its sends in the ledger)', () => {
    const ledger = async () => asSent(await plan('2026-11-26', []));

    it('2026-11-30: frequency cap, no consent, New Zealand summer time', async () => {
      expect(rows(await plan('2026-11-30', await ledger()))).toEqual<Row[]>([
        ['win-back', 'd60', 'c-1003', 'email', 'suppressed', 'frequency-cap', '2026-11-30T02:00:00.000Z'],
        ['birthday', 'day', 'c-1005', 'email', 'suppressed', 'no-consent', '2026-11-29T20:00:00.000Z'],
        ['birthday', 'day', 'c-1005', 'sms', 'planned', '', '2026-11-29T20:00:00.000Z'],
      ]);
    });

    it('2026-11-27: after-sale care a week after k-2006 started', async () => {
      expect(rows(await plan('2026-11-27', await ledger()))).toEqual<Row[]>([
        ['after-sale-care', 'd7', 'c-1005', 'email', 'suppressed', 'no-consent', '2026-11-26T21:00:00.000Z'],
        ['after-sale-care', 'd7', 'c-1005', 'sms', 'planned', '', '2026-11-26T21:00:00.000Z'],
      ]);
    });

    it('2026-12-01: renewal offer to a key customer on both channels', async () => {
      expect(rows(await plan('2026-12-01', await ledger()))).toEqual<Row[]>([
        ['contract-renewal', 'd-30', 'c-1001', 'email', 'planned', '', '2026-12-01T01:00:00.000Z'],
        ['contract-renewal', 'd-30', 'c-1001', 'sms', 'planned', '', '2026-12-01T01:00:00.000Z'],
      ]);
    });

    it('2026-12-03: last call by SMS for a business customer', async () => {
      expect(rows(await plan('2026-12-03', await ledger()))).toEqual<Row[]>([
        ['contract-renewal', 'd-7', 'c-1002', 'sms', 'planned', '', '2026-12-03T17:00:00.000Z'],
      ]);
    });

    it('2026-12-10: no phone number means no SMS', async () => {
      expect(rows(await plan('2026-12-10', await ledger()))).toEqual<Row[]>([
        ['contract-renewal', 'd-30', 'c-1006', 'email', 'planned', '', '2026-12-10T01:00:00.000Z'],
        ['contract-renewal', 'd-30', 'c-1006', 'sms', 'suppressed', 'no-address', '2026-12-10T01:00:00.000Z'],
      ]);
    });

    it('2027-02-28: a Feb 29 birthday in a non-leap year (feb29 = feb28)', async () => {
      const touches = await plan('2027-02-28', await ledger());
      expect(rows(touches)).toEqual<Row[]>([
        ['birthday', 'day', 'c-1001', 'email', 'planned', '', '2027-02-28T01:00:00.000Z'],
        ['birthday', 'day', 'c-1001', 'sms', 'planned', '', '2027-02-28T01:00:00.000Z'],
      ]);
      expect(touches.map((t) => t.occasion)).toEqual(['2027', '2027']);
      expect(rows(await plan('2027-03-01', await ledger()))).toEqual([]);
    });
  });
});
