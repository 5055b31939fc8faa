// Attribution as data arrives (docs/attribution.md): a run records who it treated and held out, and
// renewals, events and SMS replies are given to the campaign's last touch in the window, once per
// campaign × customer × occasion, through every path data arrives by; never by reading the ledger
// beyond the customer's own rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, localDate } from '../../../shared/domain/calendar.js';
import type { CustomerEvent } from '../../../shared/domain/documents.js';
import { isHeldOut } from '../../../shared/domain/holdout.js';
import { type Delivery, touchKeyString } from '../../../shared/domain/touch.js';
import { importDocuments } from '../../../shared/import/import-file.js';
import { sumCounts } from '../../../shared/ports/results.js';
import { putContract } from '../../../shared/usecases/customers/put-records.js';
import { ingestEvent } from '../../../shared/usecases/ingest-event.js';
import { attributeArrivals } from '../../../shared/usecases/results/attribute.js';
import { BatchOutOfTimeError, sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { receiveSms } from '../../../shared/usecases/sms/receive-sms.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, contract, customer } from '../domain/fixtures.js';

const D = '2026-12-01';
const END = '2026-12-15';
const N = 40;
const phoneOf = (id: string): string => `+1415555${id.slice(1).padStart(4, '0')}`;
const ids = Array.from({ length: N }, (_, i) => `c${String(i).padStart(2, '0')}`);

/** The renewal campaign, half held out, and a month of N customers whose contracts end on END. */
async function renewalRun(store: MemoryStores, clock: ReturnType<typeof manualClock>, over = {}) {
  await store.documents.putCustomers(ids.map((id) => customer(id, { timeZone: 'UTC', phone: phoneOf(id) })));
  await store.documents.putContracts(ids.map((id) => contract(`k-${id}`, id, { endDate: END })));
  await store.campaigns.putCampaign(
    campaign({
      id: 'renewal',
      anchor: { type: 'contractEnd' },
      steps: [{ id: 's1', offsetDays: -14, channels: { standard: ['email'] }, template: 't' }],
      holdoutPercent: 50,
      goal: { type: 'contractRenewed' },
      ...over,
    }),
  );
  const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
  for (const b of run.batches)
    await sendBatch(
      { store, email: recordingEmail(), sms: noSms, clock, links },
      { runId: 'r1', batchId: b.batchId },
    );
}

const held = ids.filter((id) => isHeldOut('renewal', id, 50));
const treated = ids.filter((id) => !isHeldOut('renewal', id, 50));

async function counts(store: MemoryStores) {
  return sumCounts(await store.results.read({ campaignId: 'renewal', from: '2026-01-01', to: '2027-12-31' }));
}

describe('attribution', () => {
  it('records who a run treated and held out once, however often the day is run', async () => {
    const clock = manualClock(`${D}T08:00:00Z`);
    const store = memoryStores(clock);
    await renewalRun(store, clock);
    expect(held.length).toBeGreaterThan(5);
    expect(treated.length).toBeGreaterThan(5);
    await planStartedRun({ store, clock }, { runId: 'r2', date: D });
    expect(await counts(store)).toMatchObject({
      'treated.customers': treated.length,
      'holdout.customers': held.length,
    });
  });

  it('records held-out units at planning and a treated unit as its batch reaches its touch, once on a retry', async () => {
    const clock = manualClock(`${D}T08:00:00Z`);
    const store = memoryStores(clock);
    await store.documents.putCustomers(
      ids.map((id) => customer(id, { timeZone: 'UTC', phone: phoneOf(id) })),
    );
    await store.documents.putContracts(ids.map((id) => contract(`k-${id}`, id, { endDate: END })));
    await store.campaigns.putCampaign(
      campaign({
        id: 'renewal',
        anchor: { type: 'contractEnd' },
        steps: [{ id: 's1', offsetDays: -14, channels: { standard: ['email'] }, template: 't' }],
        holdoutPercent: 50,
        goal: { type: 'contractRenewed' },
      }),
    );
    const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
    expect(await counts(store)).toMatchObject({ 'holdout.customers': held.length });
    expect((await counts(store))['treated.customers'] ?? 0).toBe(0);
    const deps = { store, email: recordingEmail(), sms: noSms, clock, links };
    const [first, ...rest] = run.batches;
    if (!first) throw new Error('the run planned no batch');
    // Stopped for time after three touches: their units are written, the others' are not yet.
    let reached = 0;
    const stopAfterThree = { ...deps, timeLeftMs: () => (++reached <= 3 ? Number.POSITIVE_INFINITY : 0) };
    await expect(sendBatch(stopAfterThree, { runId: 'r1', batchId: first.batchId })).rejects.toThrow(
      BatchOutOfTimeError,
    );
    expect((await counts(store))['treated.customers']).toBe(3);
    await sendBatch(deps, { runId: 'r1', batchId: first.batchId });
    const firstBatch = await store.runs.getRunBatch('r1', first.batchId);
    const inFirst = firstBatch?.opensUnits?.length ?? 0;
    expect(inFirst).toBe(firstBatch?.touches.length);
    expect((await counts(store))['treated.customers']).toBe(inFirst);
    // The state machine's retry of a batch that already ran.
    await sendBatch(deps, { runId: 'r1', batchId: first.batchId });
    for (const b of rest) await sendBatch(deps, { runId: 'r1', batchId: b.batchId });
    expect(await counts(store)).toMatchObject({
      'treated.customers': treated.length,
      'holdout.customers': held.length,
    });
    const unit = await store.conversions.getUnit('renewal', treated[0] ?? '', `k-${treated[0]}:${END}`);
    expect(unit).toMatchObject({ group: 'treated', dims: { channel: 'email', stepId: 's1' } });
  });

  it('gives a renewal by status through the API to the last touch, once, in the right group', async () => {
    const clock = manualClock(`${D}T08:00:00Z`);
    const store = memoryStores(clock);
    await renewalRun(store, clock);
    const at = '2026-12-05T10:00:00.000Z';
    const renewedIds = [...treated.slice(0, 3), ...held.slice(0, 2)];
    for (const id of renewedIds) {
      const doc = contract(`k-${id}`, id, { endDate: END, status: 'renewed' });
      await putContract(store, doc.id, doc, at);
      // The same renewal again (a retried PUT) converts nothing more.
      await putContract(store, doc.id, doc, at);
    }
    const c = await counts(store);
    expect(c).toMatchObject({ 'treated.conversions': 3, 'holdout.conversions': 2, converted: 3 });
    const recorded = await store.conversions.listConversions(treated[0] ?? '', 'renewal');
    expect(recorded).toMatchObject([
      { occasion: `k-${treated[0]}:${END}`, group: 'treated', touch: { stepId: 's1', channel: 'email' } },
    ]);
  });

  it('gives a renewal by a new contract of the same product in an import, and not one outside the window', async () => {
    const clock = manualClock(`${D}T08:00:00Z`);
    const store = memoryStores(clock);
    await renewalRun(store, clock, { goal: { type: 'contractRenewed', withinDays: 10 } });
    const [a, b, other] = treated;
    const next = (id: string | undefined, product = 'mobile-plan-88') =>
      contract(`k2-${id}`, id ?? '', { product, startDate: END, endDate: '2027-12-15' });
    // Day 10 after the touch (Dec 1 → Dec 11): inside.
    clock.set('2026-12-11T23:00:00Z');
    expect((await importDocuments([next(a), next(other, 'tv-box')], 'contracts', store, { clock })).ok).toBe(
      true,
    );
    // Day 11: outside.
    clock.set('2026-12-12T00:00:00Z');
    expect((await importDocuments([next(b)], 'contracts', store, { clock })).ok).toBe(true);
    expect(await counts(store)).toMatchObject({ 'treated.conversions': 1 });
  });

  it('gives a partner event and an SMS reply with a goal keyword to the campaign, and ignores other keywords', async () => {
    const clock = manualClock(`${D}T08:00:00Z`);
    const store = memoryStores(clock);
    await renewalRun(store, clock, {
      goal: { type: 'event', eventTypes: ['sms.reply', 'purchase'], keywords: ['RENEW'] },
    });
    const [a, b] = treated;
    const [h] = held;
    const purchase: CustomerEvent = {
      id: 'e1',
      customerId: a ?? '',
      type: 'purchase',
      occurredAt: '2026-12-03T00:00:00.000Z',
      data: { keyword: 'renew' },
    };
    await ingestEvent({ store }, purchase);
    await ingestEvent({ store }, purchase);
    clock.set('2026-12-04T00:00:00Z');
    const deps = { store, sms: noSms, clock };
    const reply = (id: string | undefined, text: string) =>
      receiveSms(deps, {
        originationNumber: phoneOf(id ?? ''),
        messageBody: text,
        inboundMessageId: `m-${id}`,
      });
    expect((await reply(h, 'renew please')).ok).toBe(true);
    expect((await reply(b, 'maybe later')).ok).toBe(true);
    expect(await counts(store)).toMatchObject({ 'treated.conversions': 1, 'holdout.conversions': 1 });
  });
});

// Property: attributing a random history as it arrives equals recomputing it afterwards over the
// whole ledger, by brute force (every row of every customer, no per-customer reads).
const ZONES = ['UTC', 'Asia/Shanghai', 'America/Los_Angeles'] as const;
const CUSTOMERS = ['a', 'b', 'c', 'd'];
const HELD_OUT = new Set(['a']);
const T0 = Date.parse('2026-11-01T00:00:00Z');

const touchArb = fc.record({
  customer: fc.constantFrom(...CUSTOMERS),
  step: fc.constantFrom('s1', 's2', 's3'),
  occasion: fc.constantFrom('o1', 'o2'),
  // Whole hours over 40 days: ties between touches happen.
  hour: fc.integer({ min: 0, max: 40 * 24 }),
  kind: fc.constantFrom('sent', 'no-consent', 'paused'),
});
const eventArb = fc.record({
  customer: fc.constantFrom(...CUSTOMERS),
  type: fc.constantFrom('purchase', 'visit'),
  minute: fc.integer({ min: 0, max: 45 * 24 * 60 }),
});

type TouchInput = { customer: string; step: string; occasion: string; hour: number; kind: string };

function rowOf(t: TouchInput, zone: string): Delivery {
  const sendAt = new Date(T0 + t.hour * 3_600_000).toISOString();
  const suppressed = HELD_OUT.has(t.customer) ? 'holdout' : t.kind === 'sent' ? undefined : t.kind;
  return {
    campaignId: 'goal',
    stepId: t.step,
    customerId: t.customer,
    channel: 'email',
    occasion: t.occasion,
    status: suppressed ? 'suppressed' : 'sent',
    ...(suppressed && { reason: suppressed }),
    dueDate: localDate(sendAt, zone),
    sendAt,
    runId: 'r',
    tier: 'standard',
    locale: 'en-US',
    updatedAt: sendAt,
  };
}

/** The brute force: the whole ledger, every conversion's candidates by a plain sort. */
function bruteForce(
  ledger: readonly Delivery[],
  events: readonly CustomerEvent[],
  zones: Record<string, string>,
  withinDays: number,
) {
  const converted = new Map<string, 'treated' | 'holdout'>();
  const order = ['s1', 's2', 's3'];
  for (const e of events) {
    if (e.type !== 'purchase') continue;
    const zone = zones[e.customerId] ?? 'UTC';
    const candidates = ledger
      .filter((r) => r.customerId === e.customerId && r.reason !== 'paused')
      .filter((r) => Date.parse(r.sendAt) <= Date.parse(e.occurredAt))
      .filter((r) => daysBetween(r.dueDate, localDate(e.occurredAt, zone)) <= withinDays)
      .sort(
        (x, y) =>
          Date.parse(y.sendAt) - Date.parse(x.sendAt) ||
          order.indexOf(y.stepId) - order.indexOf(x.stepId) ||
          (y.occasion > x.occasion ? 1 : y.occasion < x.occasion ? -1 : 0),
      );
    const last = candidates[0];
    if (!last) continue;
    const k = `${last.customerId}|${last.occasion}`;
    if (!converted.has(k)) converted.set(k, last.reason === 'holdout' ? 'holdout' : 'treated');
  }
  return converted;
}

describe('attribution of a random history', () => {
  it('equals a brute-force recomputation over the whole ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(touchArb, { maxLength: 25 }),
        fc.array(eventArb, { maxLength: 25 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 10 }),
        async (touches, rawEvents, zone, withinDays) => {
          const store = memoryStores();
          const zones = Object.fromEntries(CUSTOMERS.map((c, i) => [c, i % 2 === 0 ? zone : 'UTC']));
          await store.documents.putCustomers(
            CUSTOMERS.map((id) => customer(id, { timeZone: zones[id] ?? 'UTC' })),
          );
          await store.campaigns.putCampaign(
            campaign({ id: 'goal', goal: { type: 'event', eventTypes: ['purchase'], withinDays } }),
          );
          const rows = new Map<string, Delivery>();
          for (const t of touches) {
            const r = rowOf(t, zones[t.customer] ?? 'UTC');
            rows.set(touchKeyString(r), r); // one row per key, as the ledger keeps it
          }
          const events: CustomerEvent[] = rawEvents.map((e, i) => ({
            id: `e${i}`,
            customerId: e.customer,
            type: e.type,
            occurredAt: new Date(T0 + e.minute * 60_000).toISOString(),
          }));
          // As it happens: touches enter the ledger when they are sent, events are attributed on arrival.
          const timeline = [
            ...[...rows.values()].map((r) => ({ at: Date.parse(r.sendAt), order: 0, row: r })),
            ...events.map((e) => ({ at: Date.parse(e.occurredAt), order: 1, event: e })),
          ].sort((x, y) => x.at - y.at || x.order - y.order);
          for (const step of timeline) {
            if ('row' in step && step.row) store.ledger.rows.set(touchKeyString(step.row), step.row);
            if ('event' in step && step.event)
              await attributeArrivals(store, { events: [step.event], at: step.event.occurredAt });
          }
          const expected = bruteForce([...rows.values()], events, zones, withinDays);
          const got = new Map(
            [...store.conversions.conversions.values()].map((c) => [
              `${c.customerId}|${c.occasion}`,
              c.group,
            ]),
          );
          expect(got).toEqual(expected);
          const c = sumCounts(
            await store.results.read({ campaignId: 'goal', from: '2026-01-01', to: '2027-12-31' }),
          );
          const expectedIn = (g: string) => [...expected.values()].filter((v) => v === g).length;
          expect(c['treated.conversions'] ?? 0).toBe(expectedIn('treated'));
          expect(c['holdout.conversions'] ?? 0).toBe(expectedIn('holdout'));
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });
});
