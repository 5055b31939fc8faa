import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { exampleCampaign } from '../support/fixtures.js';

let store: DynamoStores;
let tick = 0;
beforeAll(async () => {
  ({ store } = await createTestStore({
    clock: { now: () => new Date(Date.UTC(2026, 10, 1, 0, 0, tick++)) },
  }));
});

describe('campaigns', () => {
  it('keep every version immutable and the newest current', async () => {
    const v1 = exampleCampaign('birthday');
    const r1 = await store.campaigns.putCampaign(v1);
    expect(r1).toMatchObject({ campaign: v1, version: 1, paused: false });
    const v2 = { ...v1, name: 'Birthday greetings v2' };
    const r2 = await store.campaigns.putCampaign(v2);
    expect(r2.version).toBe(2);
    expect(await store.campaigns.getCampaign('birthday')).toEqual(r2);
    expect(await store.campaigns.getCampaignVersion('birthday', 1)).toEqual(v1);
    expect(await store.campaigns.getCampaignVersion('birthday', 2)).toEqual(v2);
    expect(await store.campaigns.getCampaignVersion('birthday', 3)).toBeUndefined();
  });

  it('concurrent puts get distinct versions', async () => {
    const c = exampleCampaign('win-back');
    const records = await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.campaigns.putCampaign({ ...c, priority: i })),
    );
    expect(records.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const current = await store.campaigns.getCampaign('win-back');
    expect(current?.version).toBe(5);
    expect(current?.campaign.priority).toBe(records.find((r) => r.version === 5)?.campaign.priority);
  });

  it('pause survives a new version; pausing an unknown campaign says so', async () => {
    expect(await store.campaigns.setPaused('birthday', true)).toBe(true);
    const r3 = await store.campaigns.putCampaign(exampleCampaign('birthday'));
    expect(r3).toMatchObject({ version: 3, paused: true });
    expect(await store.campaigns.setPaused('birthday', false)).toBe(true);
    expect((await store.campaigns.getCampaign('birthday'))?.paused).toBe(false);
    expect(await store.campaigns.setPaused('nope', true)).toBe(false);
    expect(await store.campaigns.getCampaign('nope')).toBeUndefined();
  });

  it('lists the current records', async () => {
    const list = await store.campaigns.listCampaigns();
    expect(list.map((r) => [r.campaign.id, r.version])).toEqual([
      ['birthday', 3],
      ['win-back', 5],
    ]);
  });
});

describe('suppression list', () => {
  // Callers normalize (the suppression use case, delivery feedback): the adapter keys what it is given.
  it('adds addresses, finds them, lists and removes them', async () => {
    await store.suppression.addSuppression({
      address: 'li.wei@example.com',
      reason: 'unsubscribed',
      addedAt: '2026-11-01T00:00:00Z',
      source: 'manual',
    });
    await store.suppression.addSuppression({
      address: '+14155550123',
      reason: 'bounced',
      addedAt: '2026-11-01T00:00:00Z',
      source: 'bounce',
    });
    expect(
      await store.suppression.suppressedAmong(['li.wei@example.com', '+14155550123', 'other@example.com']),
    ).toEqual(new Set(['li.wei@example.com', '+14155550123']));
    expect((await store.suppression.listSuppressions()).map((e) => [e.address, e.reason])).toEqual([
      ['+14155550123', 'bounced'],
      ['li.wei@example.com', 'unsubscribed'],
    ]);
    expect(await store.suppression.removeSuppression('li.wei@example.com')).toBe(true);
    expect(await store.suppression.removeSuppression('li.wei@example.com')).toBe(false);
    expect(await store.suppression.suppressedAmong(['li.wei@example.com'])).toEqual(new Set());
  });
});
