// The send-time recheck and the reputation guard on DynamoDB Local (issue 12, items 6 and 7):
// the adapters the recheck reads (contracts by id, last-activity days, suppression, consent) and
// the reputation counters, with what each costs.
import { beforeAll, describe, expect, it } from 'vitest';
import { hourBucket, REPUTATION_MIN_SENDS, windowBuckets } from '../../../shared/domain/reputation.js';
import type { Delivery } from '../../../shared/domain/touch.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { recordConsentChange } from '../../../shared/usecases/consent/record.js';
import { noteDeliveryOutcome } from '../../../shared/usecases/reputation/note-outcome.js';
import { resumeSending, sendingStatus } from '../../../shared/usecases/reputation/sending.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { manualClock } from '../../support/fakes/memory-stores.js';
import { planStartedRun } from '../../support/run-day.js';
import { campaign, contract, customer } from '../../unit/domain/fixtures.js';
import { createTestStore } from '../support/ddb.js';

const D = '2026-12-10';
const EMAIL_ONLY = { key: ['email'], business: ['email'], standard: ['email'] };
const utc = (id: string, over = {}) => customer(id, { timeZone: 'UTC', phone: undefined, ...over });
const inactiveSince = '2026-11-10T12:00:00Z'; // D − 30

const renewal = campaign({
  id: 'renewal',
  anchor: { type: 'contractEnd' },
  steps: [{ id: 's1', offsetDays: 0, channels: EMAIL_ONLY, template: 't' }],
  templates: {
    t: {
      email: { 'en-US': { subject: 'Your {{ contract.product }}', text: 'Renew: {{ unsubscribeUrl }}' } },
    },
  },
});
const winBack = campaign({
  id: 'winback',
  category: 'win-back',
  anchor: { type: 'lastActivity' },
  steps: [{ id: 's1', offsetDays: 30, channels: EMAIL_ONLY, template: 't' }],
  templates: { t: { email: { 'en-US': { subject: 'We miss you', text: 'Back? {{ unsubscribeUrl }}' } } } },
});

describe('the send-time recheck on DynamoDB', () => {
  let store: DynamoStores;
  const clock = manualClock(`${D}T00:30:00Z`);
  beforeAll(async () => {
    ({ store } = await createTestStore({ clock }));
  });

  it('plans a day, changes each fact, then sends: each changed touch is suppressed with its reason', async () => {
    await store.campaigns.putCampaign(renewal);
    await store.campaigns.putCampaign(winBack);
    await store.documents.putCustomers([
      utc('renewed'),
      utc('cancelled'),
      utc('reproduct'),
      ...['active-again', 'suppressed', 'channel-out', 'topic-out', 'unchanged'].map((id) =>
        utc(id, { lastActivityAt: inactiveSince }),
      ),
    ]);
    await store.documents.putContracts(
      ['renewed', 'cancelled', 'reproduct'].map((id) => contract(`k-${id}`, id, { endDate: D })),
    );
    const run = await planStartedRun({ store, clock }, { runId: 'r1', date: D });
    expect(run).toMatchObject({ planned: 8, suppressed: 0 });

    await store.documents.putContracts([
      contract('k-renewed', 'renewed', { endDate: D, status: 'renewed' }),
      contract('k-cancelled', 'cancelled', { endDate: D, status: 'cancelled' }),
      contract('k-reproduct', 'reproduct', { endDate: D, product: 'mobile-plan-128' }),
    ]);
    await store.documents.putEvents([
      { id: 'ev-back', customerId: 'active-again', type: 'app.login', occurredAt: `${D}T00:40:00Z` },
    ]);
    await store.suppression.addSuppression({
      address: 'suppressed@example.com',
      reason: 'complained',
      addedAt: `${D}T00:45:00Z`,
      source: 'manual',
    });
    const at = `${D}T00:50:00Z`;
    await recordConsentChange(
      { store },
      { customerId: 'channel-out', channel: 'email', value: false, source: 'api', at },
    );
    await recordConsentChange(
      { store },
      {
        customerId: 'topic-out',
        channel: 'email',
        topic: 'win-back',
        value: false,
        source: 'unsubscribe-link',
        at,
      },
    );

    clock.set(`${D}T09:00:00Z`);
    const email = recordingEmail();
    for (const b of run.batches)
      await sendBatch({ store, email, sms: noSms, clock, links }, { runId: 'r1', batchId: b.batchId });

    const rows = new Map(
      (await store.ledger.listDeliveries({})).map((d: Delivery) => [
        d.customerId,
        d.reason ? `${d.status}:${d.reason}` : d.status,
      ]),
    );
    expect(Object.fromEntries(rows)).toEqual({
      renewed: 'suppressed:exited',
      cancelled: 'suppressed:exited',
      'active-again': 'suppressed:exited',
      suppressed: 'suppressed:suppressed-address',
      'channel-out': 'suppressed:no-consent',
      'topic-out': 'suppressed:no-consent',
      reproduct: 'sent',
      unchanged: 'sent',
    });
    expect(email.sent.find((m) => m.to === 'reproduct@example.com')?.subject).toBe('Your mobile-plan-128');
    // Both sends counted in the email window, one aggregate item for the hour.
    expect(
      (await store.reputation.counts('email', [hourBucket(clock.now())])).get(hourBucket(clock.now())),
    ).toEqual({
      sent: 2,
      bounced: 0,
      complained: 0,
    });
  });
});

describe('the reputation counters on DynamoDB', () => {
  let store: DynamoStores;
  const clock = manualClock('2026-12-02T10:15:00Z');
  beforeAll(async () => {
    ({ store } = await createTestStore({ clock }));
  });

  it('counts each outcome with one write, judges 24 hourly items with one query, pauses once and resumes', async () => {
    const deps = { reputation: store.reputation };
    const at = clock.now().toISOString();
    store.resetCapacity();
    await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'sent', at });
    expect(store.capacity).toEqual({ read: 0, write: 1 });
    // Spread over the window (and one send 25 h back, outside it).
    await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'sent', at: '2026-12-01T09:00:00Z' });
    for (let i = 1; i < REPUTATION_MIN_SENDS; i++)
      await noteDeliveryOutcome(deps, {
        channel: 'email',
        outcome: 'sent',
        at: new Date(Date.parse(at) - (i % 24) * 3_600_000).toISOString(),
      });
    const buckets = await store.reputation.counts('email', windowBuckets(clock.now()));
    expect(buckets.size).toBe(24);
    expect([...buckets.values()].reduce((n, c) => n + c.sent, 0)).toBe(REPUTATION_MIN_SENDS);

    const paused: string[] = [];
    const onPaused = (s: { reason?: string }) => paused.push(s.reason ?? '');
    for (let i = 0; i < 10; i++)
      expect(
        await noteDeliveryOutcome({ ...deps, onPaused }, { channel: 'email', outcome: 'bounced', at }),
      ).toEqual({
        paused: false,
      });
    store.resetCapacity();
    const trip = await noteDeliveryOutcome(
      { ...deps, onPaused },
      { channel: 'email', outcome: 'bounced', at },
    );
    expect(trip).toMatchObject({ paused: true, now: true });
    // A bounce: its count, the state, the window (24 small items in one query), the pause.
    expect(store.capacity.write).toBe(2);
    expect(store.capacity.read).toBeLessThanOrEqual(2);
    await noteDeliveryOutcome({ ...deps, onPaused }, { channel: 'email', outcome: 'complained', at });
    expect(paused).toEqual([expect.stringMatching(/^bounce rate 5\.5 % over 24 h \(11 of 200 sends\)/)]);

    const status = await sendingStatus({ reputation: store.reputation, clock }, 'email');
    expect(status).toMatchObject({ paused: true, window: { sent: 200, bounced: 11, complained: 1 } });
    expect((await sendingStatus({ reputation: store.reputation, clock }, 'sms')).paused).toBe(false);

    const resumed = await resumeSending({ reputation: store.reputation, clock }, 'email');
    expect(resumed).toMatchObject({
      resumed: true,
      status: { paused: false, window: { sent: 0, bounced: 0 } },
    });
    expect(await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'bounced', at })).toEqual({
      paused: false,
    });
    expect((await resumeSending({ reputation: store.reputation, clock }, 'email')).resumed).toBe(false);
  });
});
