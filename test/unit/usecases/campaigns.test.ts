// The campaign capabilities over in-memory ports: validate, apply, pause/resume, list, preview and
// test-send. The routes and the CLI only call these, so their rules are proven here.
import { describe, expect, it } from 'vitest';
import type { EmailSender, SmsSender } from '../../../shared/ports/channels.js';
import { applyCampaign } from '../../../shared/usecases/campaigns/apply.js';
import { listCampaigns } from '../../../shared/usecases/campaigns/list.js';
import { setCampaignPaused } from '../../../shared/usecases/campaigns/pause-resume.js';
import { previewCampaign } from '../../../shared/usecases/campaigns/preview.js';
import { testSend } from '../../../shared/usecases/campaigns/test-send.js';
import { validateCampaignDocument } from '../../../shared/usecases/campaigns/validate.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

const clock = manualClock('2026-11-26T09:00:00Z');
const doc = (over: Record<string, unknown> = {}) => JSON.parse(JSON.stringify(campaign(over)));

describe('validate and apply', () => {
  it('checks tiers against the settings in force: a tier they do not define is refused with its path', async () => {
    const store = memoryStores(clock);
    const gold = doc({ steps: [{ id: 's1', offsetDays: 0, channels: { gold: ['email'] }, template: 't' }] });
    const refused = await validateCampaignDocument(store, gold);
    expect(refused.ok ? [] : refused.issues.map((i) => i.path.join('.'))).toEqual(['steps.0.channels.gold']);
    await store.settings.putSettings({ tiers: [{ id: 'gold', minMonthlyValue: 0 }], feb29: 'feb28' });
    expect(await validateCampaignDocument(store, gold)).toMatchObject({ ok: true });
  });

  it('reports a schema error, an unknown template and an unknown variable together, storing nothing', async () => {
    const store = memoryStores(clock);
    const bad = {
      ...doc(),
      priority: 'high',
      steps: [
        { id: 's1', offsetDays: 0, channels: { key: ['email'] }, template: 't' },
        { id: 's2', offsetDays: 1, channels: { key: ['email'] }, template: 'nope' },
      ],
      templates: { t: { email: { 'en-US': { subject: '{{ customer.nmae }}', text: 'x' } } } },
    };
    const result = await applyCampaign(store, { doc: bad, mode: 'create' });
    expect(result.ok ? [] : 'issues' in result ? result.issues.map((i) => i.path.join('.')) : []).toEqual([
      'priority',
      'steps.1.template',
      'templates.t.email.en-US.subject',
    ]);
    expect(await store.campaigns.listCampaigns()).toEqual([]);
  });

  it('creates version 1, refuses a second create, adds versions, refuses another id or an unknown one', async () => {
    const store = memoryStores(clock);
    expect(await applyCampaign(store, { doc: doc(), mode: 'create' })).toMatchObject({
      ok: true,
      record: { version: 1 },
    });
    expect(await applyCampaign(store, { doc: doc(), mode: 'create' })).toEqual({
      ok: false,
      reason: 'exists',
      id: 'camp',
    });
    expect(
      await applyCampaign(store, { doc: doc({ name: 'v2' }), mode: 'version', id: 'camp' }),
    ).toMatchObject({ ok: true, record: { version: 2, campaign: { name: 'v2' } } });
    expect(await applyCampaign(store, { doc: doc(), mode: 'version', id: 'other' })).toMatchObject({
      reason: 'id-mismatch',
    });
    expect(await applyCampaign(store, { doc: doc({ id: 'new' }), mode: 'version', id: 'new' })).toMatchObject(
      {
        reason: 'not-found',
      },
    );
  });

  it('pauses and resumes; lists by priority, then id', async () => {
    const store = memoryStores(clock);
    for (const [id, priority] of [
      ['b', 1],
      ['a', 1],
      ['c', 5],
    ] as const)
      await applyCampaign(store, { doc: doc({ id, priority }), mode: 'create' });
    expect((await listCampaigns(store)).map((r) => r.campaign.id)).toEqual(['c', 'a', 'b']);
    expect(await setCampaignPaused(store, { id: 'a', paused: true })).toMatchObject({ paused: true });
    expect(await setCampaignPaused(store, { id: 'a', paused: false })).toMatchObject({ paused: false });
    expect(await setCampaignPaused(store, { id: 'zz', paused: true })).toBeUndefined();
  });
});

describe('preview and test-send', () => {
  const sent: { channel: string; to: string; text: string }[] = [];
  const email: EmailSender = {
    send: async (m) => {
      sent.push({ channel: 'email', to: m.to, text: m.text });
      return { ok: true, providerMessageId: `e-${sent.length}` };
    },
  };
  const refusing: SmsSender = { send: async () => ({ ok: false, retryable: false, error: 'no route' }) };

  it("renders every step per channel in the customer's locale, marking what their tier gets", async () => {
    const store = memoryStores(clock);
    await applyCampaign(store, { doc: doc(), mode: 'create' });
    await store.documents.putCustomers([customer('c1', { monthlyValue: 120 })]);
    const result = await previewCampaign({ ...store, clock }, { campaignId: 'camp', customerId: 'c1' });
    expect(result).toMatchObject({ ok: true, value: { tier: 'business', version: 1 } });
    const messages = result.ok ? result.value.messages : [];
    expect(messages.map((m) => [m.channel, m.forTier, m.text])).toEqual([
      ['email', true, 'Hello Customer c1'],
      ['sms', false, 'Hello Customer c1. STOP to opt out'],
    ]);
    expect(await previewCampaign({ ...store, clock }, { campaignId: 'camp', customerId: 'x' })).toEqual({
      ok: false,
      reason: 'customer-not-found',
    });
  });

  it('sends one message to the given address only, and reports a refusing channel', async () => {
    const store = memoryStores(clock);
    await applyCampaign(store, { doc: doc(), mode: 'create' });
    const deps = { ...store, email, sms: refusing, clock };
    const input = { campaignId: 'camp', stepId: 's1', address: 'qa@example.org' };
    expect(await testSend(deps, { ...input, channel: 'email' })).toEqual({
      ok: true,
      value: { sent: true, to: 'qa@example.org', providerMessageId: 'e-1' },
    });
    // In the layout, with the footer, as a real send (docs/messages.md).
    expect(sent).toEqual([
      {
        channel: 'email',
        to: 'qa@example.org',
        text: expect.stringMatching(
          /^Hello Alexandra Montgomery\n\n-- \nYou receive this email as our customer\./,
        ),
      },
    ]);
    expect(await testSend(deps, { ...input, channel: 'sms', address: '+14155550123' })).toEqual({
      ok: false,
      reason: 'channel-refused',
      error: 'no route',
    });
    expect(await testSend(deps, { ...input, stepId: 'nope', channel: 'email' })).toMatchObject({
      reason: 'step-not-found',
    });
    expect(store.ledger).toBeDefined();
    expect(await store.ledger.listDeliveries({})).toEqual([]);
  });

  it('test-send refuses an address on the suppression list, compared normalized, and sends nothing', async () => {
    const store = memoryStores(clock);
    await applyCampaign(store, { doc: doc(), mode: 'create' });
    const calls: string[] = [];
    const counting: EmailSender = {
      send: async (m) => {
        calls.push(m.to);
        return { ok: true, providerMessageId: 'x' };
      },
    };
    const countingSms: SmsSender = {
      send: async (m) => {
        calls.push(m.to);
        return { ok: true, providerMessageId: 'y' };
      },
    };
    const deps = { ...store, email: counting, sms: countingSms, clock };
    const entry = { reason: 'unsubscribed', addedAt: '2026-11-20T10:00:00.000Z', source: 'manual' } as const;
    await store.suppression.addSuppression({ address: 'qa@example.org', ...entry });
    await store.suppression.addSuppression({ address: '+14155550123', ...entry, reason: 'complained' });
    const input = { campaignId: 'camp', stepId: 's1' };
    // Written as a person types it: another case, surrounding spaces.
    expect(await testSend(deps, { ...input, channel: 'email', address: ' QA@Example.ORG ' })).toEqual({
      ok: false,
      reason: 'address-suppressed',
      suppression: { address: 'qa@example.org', ...entry },
    });
    expect(await testSend(deps, { ...input, channel: 'sms', address: '+14155550123' })).toMatchObject({
      ok: false,
      reason: 'address-suppressed',
      suppression: { address: '+14155550123', reason: 'complained' },
    });
    expect(calls).toEqual([]);
    // Off the list, the same address gets its test message.
    await store.suppression.removeSuppression('qa@example.org');
    expect(await testSend(deps, { ...input, channel: 'email', address: 'qa@example.org' })).toMatchObject({
      ok: true,
    });
    expect(calls).toEqual(['qa@example.org']);
  });
});
