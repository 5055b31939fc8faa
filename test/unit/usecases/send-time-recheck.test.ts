// The send-time recheck (issue 12, item 7): a run is planned up to ~36 hours before its last send.
// Each test plans a day, changes one fact per customer, then sends: every touch whose fact changed
// is recorded `suppressed` with planning's own reason, the rest go out rendered from current data.
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../shared/domain/touch.js';
import { recordConsentChange } from '../../../shared/usecases/consent/record.js';
import { noteDeliveryOutcome } from '../../../shared/usecases/reputation/note-outcome.js';
import { resumeSending } from '../../../shared/usecases/reputation/sending.js';
import { planRun } from '../../../shared/usecases/run/plan-run.js';
import { sendBatch } from '../../../shared/usecases/run/send-batch.js';
import { TEST_LINKS as links, noSms, recordingEmail } from '../../support/fakes/channels.js';
import { type MemoryStores, manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, contract, customer } from '../domain/fixtures.js';

const D = '2026-12-10';
const EMAIL_ONLY = { key: ['email'], business: ['email'], standard: ['email'] };

const renewal = campaign({
  id: 'renewal',
  anchor: { type: 'contractEnd' },
  exit: ['contractRenewed', 'contractCancelled', 'optedOut'],
  steps: [{ id: 's1', offsetDays: 0, channels: EMAIL_ONLY, template: 't' }],
  templates: {
    t: {
      email: {
        'en-US': {
          subject: 'Your {{ contract.product }} ends {{ contract.endDate }}',
          text: 'Renew {{ contract.product }}: {{ unsubscribeUrl }}',
        },
      },
    },
  },
});

const winBack = campaign({
  id: 'winback',
  category: 'win-back',
  anchor: { type: 'lastActivity' },
  exit: ['activeAgain', 'optedOut'],
  steps: [{ id: 's1', offsetDays: 30, channels: EMAIL_ONLY, template: 't' }],
  templates: {
    t: {
      email: {
        'en-US': { subject: 'We miss you, {{ customer.name }}', text: 'Come back: {{ unsubscribeUrl }}' },
      },
    },
  },
});

const utc = (id: string, over = {}) => customer(id, { timeZone: 'UTC', phone: undefined, ...over });
const inactiveSince = '2026-11-10T12:00:00Z'; // D − 30

async function plan(store: MemoryStores, clock: ReturnType<typeof manualClock>, runId: string) {
  await store.runs.putRunMeta({ runId, date: D, startedAt: clock.now().toISOString(), status: 'planning' });
  return planRun({ store, clock }, { runId, date: D });
}

async function send(store: MemoryStores, clock: ReturnType<typeof manualClock>, runId: string) {
  const email = recordingEmail();
  const run = await store.runs.getRunReport(runId);
  for (const b of run?.batches ?? [])
    await sendBatch({ store, email, sms: noSms, clock, links }, { runId, batchId: b.batchId });
  return email;
}

const rowsOf = async (store: MemoryStores): Promise<Map<string, Delivery>> =>
  new Map((await store.ledger.listDeliveries({})).map((d) => [`${d.campaignId}/${d.customerId}`, d]));

describe('the send-time recheck', () => {
  it('stops what changed between planning and sending with planning reasons, and renders the rest from current data', async () => {
    const clock = manualClock(`${D}T00:30:00Z`);
    const store = memoryStores(clock);
    await store.campaigns.putCampaign(renewal);
    await store.campaigns.putCampaign(winBack);
    await store.documents.putCustomers([
      utc('renewed'),
      utc('cancelled'),
      utc('reproduct'),
      ...['active-again', 'suppressed', 'channel-out', 'topic-out', 'moved', 'unchanged'].map((id) =>
        utc(id, { lastActivityAt: inactiveSince }),
      ),
    ]);
    await store.documents.putContracts(
      ['renewed', 'cancelled', 'reproduct'].map((id) => contract(`k-${id}`, id, { endDate: D })),
    );
    const planned = await plan(store, clock, 'r1');
    expect(planned).toMatchObject({ planned: 9, suppressed: 0 });

    // Between planning and the send time, each fact changes for one customer.
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
      reason: 'bounced',
      addedAt: `${D}T00:45:00Z`,
      source: 'manual',
    });
    const at = `${D}T00:50:00Z`;
    await recordConsentChange(
      { store },
      { customerId: 'channel-out', channel: 'email', value: false, source: 'unsubscribe-link', at },
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
    await store.documents.putCustomers([
      utc('moved', { lastActivityAt: inactiveSince, email: 'new@example.com' }),
    ]);

    clock.set(`${D}T09:00:00Z`);
    const email = await send(store, clock, 'r1');

    const rows = await rowsOf(store);
    const outcome = (k: string) => {
      const row = rows.get(k);
      return row?.reason ? `${row.status}:${row.reason}` : row?.status;
    };
    expect(outcome('renewal/renewed')).toBe('suppressed:exited');
    expect(outcome('renewal/cancelled')).toBe('suppressed:exited');
    expect(outcome('winback/active-again')).toBe('suppressed:exited');
    expect(outcome('winback/suppressed')).toBe('suppressed:suppressed-address');
    expect(outcome('winback/channel-out')).toBe('suppressed:no-consent');
    expect(outcome('winback/topic-out')).toBe('suppressed:no-consent');
    expect(outcome('renewal/reproduct')).toBe('sent');
    expect(outcome('winback/moved')).toBe('sent');
    expect(outcome('winback/unchanged')).toBe('sent');
    // Rendered from the contract and the profile as they are now, not as planned.
    expect(email.sent.map((m) => m.to).sort()).toEqual([
      'new@example.com',
      'reproduct@example.com',
      'unchanged@example.com',
    ]);
    expect(email.sent.find((m) => m.to === 'reproduct@example.com')?.subject).toBe(
      `Your mobile-plan-128 ends ${D}`,
    );
    // The run's own report says the same.
    const report = await store.runs.getRunReport('r1');
    const reasons = (report?.batches ?? []).flatMap((b) => b.results ?? []).map((r) => r.reason ?? r.status);
    expect(reasons.sort()).toEqual(
      [
        'exited',
        'exited',
        'exited',
        'no-consent',
        'no-consent',
        'sent',
        'sent',
        'sent',
        'suppressed-address',
      ].sort(),
    );
  });

  it('a contract whose end date moved since planning has exited that occasion', async () => {
    const clock = manualClock(`${D}T00:30:00Z`);
    const store = memoryStores(clock);
    await store.campaigns.putCampaign(renewal);
    await store.documents.putCustomers([utc('c1')]);
    await store.documents.putContracts([contract('k1', 'c1', { endDate: D })]);
    await plan(store, clock, 'r1');
    await store.documents.putContracts([contract('k1', 'c1', { endDate: '2027-12-10' })]);
    clock.set(`${D}T09:00:00Z`);
    const email = await send(store, clock, 'r1');
    expect(email.sent).toHaveLength(0);
    expect((await rowsOf(store)).get('renewal/c1')).toMatchObject({ status: 'suppressed', reason: 'exited' });
  });

  it('while the reputation guard has email paused, touches are recorded suppressed sending-paused, not sent, and a rerun after the resume sends them', async () => {
    const clock = manualClock(`${D}T00:30:00Z`);
    const store = memoryStores(clock);
    await store.campaigns.putCampaign(winBack);
    await store.documents.putCustomers([
      utc('c1', { lastActivityAt: inactiveSince }),
      utc('c2', { lastActivityAt: inactiveSince }),
    ]);
    await plan(store, clock, 'r1');
    // Enough bounces over enough sends, from the feedback path, trip the guard.
    const reputation = { reputation: store.reputation };
    for (let i = 0; i < 200; i++)
      await noteDeliveryOutcome(reputation, { channel: 'email', outcome: 'sent', at: `${D}T00:00:00Z` });
    for (let i = 0; i < 11; i++)
      await noteDeliveryOutcome(reputation, { channel: 'email', outcome: 'bounced', at: `${D}T00:31:00Z` });

    clock.set(`${D}T09:00:00Z`);
    const paused = await send(store, clock, 'r1');
    expect(paused.sent).toHaveLength(0);
    expect([...(await rowsOf(store)).values()].map((r) => `${r.status}:${r.reason}`)).toEqual([
      'suppressed:sending-paused',
      'suppressed:sending-paused',
    ]);

    await resumeSending({ reputation: store.reputation, clock }, 'email');
    clock.set(`${D}T10:00:00Z`);
    await plan(store, clock, 'r2');
    const resumed = await send(store, clock, 'r2');
    expect(resumed.sent.map((m) => m.to).sort()).toEqual(['c1@example.com', 'c2@example.com']);
    // Each send counts in the window the guard judges.
    const buckets = await store.reputation.counts('email', [`${D}T10`]);
    expect(buckets.get(`${D}T10`)?.sent).toBe(2);
  });
});
