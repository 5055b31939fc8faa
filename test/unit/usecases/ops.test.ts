// The ops capabilities besides campaigns, over in-memory ports: settings, plan, run now and a run's
// result, suppression, partners, customer show and large-import jobs.
import { describe, expect, it } from 'vitest';
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import type { ImportUploads } from '../../../shared/ports/import-jobs.js';
import { applyCampaign } from '../../../shared/usecases/campaigns/apply.js';
import { showCustomer } from '../../../shared/usecases/customers/show-customer.js';
import { importJobView, startUploadImport } from '../../../shared/usecases/imports/upload-import.js';
import { addPartner, listPartners, rotatePartner } from '../../../shared/usecases/partners/partners.js';
import { planDay } from '../../../shared/usecases/plan/plan.js';
import { runNow } from '../../../shared/usecases/runs/run-now.js';
import { runResult } from '../../../shared/usecases/runs/run-result.js';
import { applySettings } from '../../../shared/usecases/settings/settings.js';
import {
  addSuppression,
  listSuppressions,
  removeSuppression,
} from '../../../shared/usecases/suppression/suppression.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { campaign, customer } from '../domain/fixtures.js';

const clock = manualClock('2026-11-26T09:00:00Z');

describe('settings', () => {
  it('replaces the settings, or refuses them with paths and changes nothing', async () => {
    const store = memoryStores(clock);
    const refused = await applySettings(store, {
      tiers: [
        { id: 'a', minMonthlyValue: 1 },
        { id: 'b', minMonthlyValue: 5 },
      ],
    });
    expect(refused.ok ? [] : refused.issues.map((i) => i.path.join('.'))).toEqual([
      'tiers.1.minMonthlyValue',
    ]);
    expect((await store.settings.getSettings()).tiers.map((t) => t.id)).toEqual([
      'key',
      'business',
      'standard',
    ]);
    expect(await applySettings(store, { tiers: [{ id: 'all', minMonthlyValue: 0 }] })).toMatchObject({
      ok: true,
    });
    expect((await store.settings.getSettings()).tiers.map((t) => t.id)).toEqual(['all']);
  });
});

describe('plan and runs', () => {
  it('refuses an unknown campaign for plan and run now, and starts nothing', async () => {
    const store = memoryStores(clock);
    const started: unknown[] = [];
    const starter = {
      start: async (input: unknown) => {
        started.push(input);
        return { executionId: 'x-1' };
      },
    };
    expect(await planDay({ store }, { date: '2026-11-26', campaignId: 'nope' })).toEqual({
      ok: false,
      reason: 'unknown-campaign',
      campaignId: 'nope',
    });
    expect(await runNow({ ...store, starter }, { date: '2026-11-26', campaignId: 'nope' })).toMatchObject({
      ok: false,
    });
    expect(started).toEqual([]);
    expect(await runNow({ ...store, starter }, { date: '2026-11-26' })).toEqual({
      ok: true,
      executionId: 'x-1',
    });
    expect(await planDay({ store }, { date: '2026-11-26' })).toMatchObject({
      ok: true,
      report: { date: '2026-11-26', touches: [], summary: { planned: 0, suppressed: 0, byReason: {} } },
    });
  });

  it("reports a run's touches in plan order with their outcomes, in the contract's run JSON", async () => {
    const store = memoryStores(clock);
    const touch = (customerId: string, seq: number, over: Partial<PlannedTouch> = {}): PlannedTouch => ({
      campaignId: 'camp',
      stepId: 's1',
      customerId,
      channel: 'email',
      occasion: '2026-11-26',
      tier: 'key',
      locale: 'en-US',
      dueDate: '2026-11-26',
      sendAt: '2026-11-26T17:00:00.000Z',
      windowEnd: '2026-11-27T02:00:00.000Z',
      status: 'planned',
      template: 't',
      seq,
      ...over,
    });
    const [a, b, c] = [
      touch('a', 0),
      touch('b', 2),
      touch('c', 1, { status: 'suppressed', reason: 'holdout' }),
    ];
    if (!a || !b || !c) throw new Error('unreachable');
    await store.runs.putRunMeta({ runId: 'r1', date: '2026-11-26', startedAt: '', status: 'sending' });
    await store.runs.putRunBatches([{ runId: 'r1', batchId: 'b1', sendAt: a.sendAt, touches: [a, b] }]);
    await store.runs.putRunSuppressed('r1', [c]);
    await store.runs.putRunBatchResults('r1', 'b1', [
      { key: a, status: 'sent', providerMessageId: 'm1' },
      { key: b, status: 'failed', error: 'bounced' },
    ]);
    const result = await runResult(store, 'r1');
    expect(result?.touches.map((t) => [t.customerId, t.status, t.reason])).toEqual([
      ['a', 'sent', undefined],
      ['c', 'suppressed', 'holdout'],
      ['b', 'failed', 'bounced'],
    ]);
    expect(result?.summary).toEqual({
      planned: 2,
      sent: 1,
      suppressed: 1,
      failed: 1,
      byReason: { holdout: 1 },
    });
    expect(await runResult(store, 'nope')).toBeUndefined();
  });
});

describe('suppression', () => {
  it('normalizes addresses, refuses what is not one, and lists what is suppressed', async () => {
    const store = memoryStores(clock);
    expect(
      await addSuppression({ ...store, clock }, { address: ' A@Example.COM ', reason: 'bounced' }),
    ).toEqual({
      ok: true,
      value: {
        address: 'a@example.com',
        reason: 'bounced',
        addedAt: '2026-11-26T09:00:00.000Z',
        source: 'manual',
      },
    });
    expect(await addSuppression({ ...store, clock }, { address: 'nope', reason: 'bounced' })).toMatchObject({
      ok: false,
      reason: 'invalid-address',
    });
    expect((await listSuppressions(store)).map((e) => e.address)).toEqual(['a@example.com']);
    expect(await removeSuppression(store, { address: 'a@EXAMPLE.com' })).toEqual({
      ok: true,
      value: { address: 'a@example.com', removed: true },
    });
    expect(await removeSuppression(store, { address: 'a@example.com' })).toMatchObject({
      value: { removed: false },
    });
  });
});

describe('partners', () => {
  it('adds once, rotates with a rollover window, and never lists a secret', async () => {
    const store = memoryStores(clock);
    const deps = { ...store, clock };
    const added = await addPartner(deps, 'acme');
    expect(added).toMatchObject({
      ok: true,
      value: { id: 'acme', secret: expect.stringMatching(/^whsec_/) },
    });
    expect(await addPartner(deps, 'acme')).toEqual({ ok: false, reason: 'exists' });
    clock.advance(60_000);
    const rotated = await rotatePartner({ ...deps, rolloverMs: 3_600_000 }, 'acme');
    expect(rotated).toMatchObject({ ok: true, value: { previousValidUntil: '2026-11-26T10:01:00.000Z' } });
    expect(await rotatePartner({ ...deps, rolloverMs: 1 }, 'nobody')).toEqual({
      ok: false,
      reason: 'not-found',
    });
    const listed = await listPartners(deps);
    expect(listed).toEqual([
      {
        id: 'acme',
        createdAt: '2026-11-26T09:00:00.000Z',
        secretCreatedAt: '2026-11-26T09:01:00.000Z',
        validSecrets: 2,
        previousValidUntil: '2026-11-26T10:01:00.000Z',
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
  });
});

describe('customer show', () => {
  it("shows the customer with their tier, records and touches, in the contract's shape", async () => {
    const store = memoryStores(clock);
    await store.documents.putCustomers([customer('c1', { monthlyValue: 600 })]);
    await applyCampaign(store, { doc: JSON.parse(JSON.stringify(campaign())), mode: 'create' });
    const view = await showCustomer(store, 'c1');
    expect(view).toMatchObject({
      customer: { id: 'c1' },
      tier: 'key',
      contracts: [],
      events: [],
      consent: { email: true, sms: true, topics: {} },
      consentHistory: [],
      touches: [],
    });
    expect(await showCustomer(store, 'nobody')).toBeUndefined();
  });
});

describe('large imports', () => {
  const uploads: ImportUploads = { uploadUrl: async ({ job, origin }) => `${origin}/up/${job.id}` };

  it('creates a pending job with an upload URL; refuses CSV events and a deployment without uploads', async () => {
    const store = memoryStores(clock);
    const deps = { ...store, uploads, clock };
    const started = await startUploadImport(deps, { kind: 'customers', format: 'csv', origin: 'http://api' });
    if (!started.ok) throw new Error(started.reason);
    expect(started.value.uploadUrl).toBe(`http://api/up/${started.value.importId}`);
    expect(await importJobView(store, started.value.importId)).toMatchObject({
      importId: started.value.importId,
      kind: 'customers',
      status: 'pending',
    });
    expect(await startUploadImport(deps, { kind: 'events', format: 'csv', origin: '' })).toEqual({
      ok: false,
      reason: 'csv-events',
    });
    expect(
      await startUploadImport(
        { ...deps, uploads: undefined },
        { kind: 'events', format: 'ndjson', origin: '' },
      ),
    ).toEqual({
      ok: false,
      reason: 'not-configured',
    });
  });
});
