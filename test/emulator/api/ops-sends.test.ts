// The sending edges of /v1 against DynamoDB Local: test-send honours the suppression list (a
// suppressed address is refused with why, and nothing is sent), and POST /v1/deliveries/release
// frees an `unknown` touch's key only when no send can be in flight or confirmed.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultSettings } from '../../../shared/domain/documents.js';
import { RESERVATION_TIMEOUT_MS } from '../../../shared/ports/ledger.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { manualClock } from '../../support/fakes/memory-stores.js';
import { createTestStore } from '../support/ddb.js';
import { exampleCampaign, touch } from '../support/fixtures.js';
import { type HostileApp, hostileApp } from '../support/ops-app.js';

const TOKEN = 'dev-token-sends';
const problem = z.looseObject({
  status: z.number(),
  title: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
const released = z.object({ released: z.literal(true), delivery: z.looseObject({ status: z.string() }) });

// The store's clock is the wall clock that stamps and judges ledger leases.
const wall = manualClock('2026-12-02T00:40:00.000Z');
let store: DynamoStores;
let api: HostileApp;
beforeAll(async () => {
  ({ store } = await createTestStore({ clock: wall }));
  await store.settings.putSettings(defaultSettings());
  await store.campaigns.putCampaign(exampleCampaign('contract-renewal'));
  api = hostileApp(store, TOKEN);
});

const send = (address: string, channel = 'email', stepId = 'd-30') =>
  api.call('POST', '/v1/campaigns/contract-renewal/test-send', JSON.stringify({ stepId, channel, address }));

describe('test-send and the suppression list', () => {
  it('refuses a test send to a suppressed address (normalized) with 422 saying why, and sends nothing', async () => {
    const added = await api.call(
      'POST',
      '/v1/suppressions',
      JSON.stringify({ address: ' QA@Example.ORG ', reason: 'unsubscribed' }),
    );
    expect(added.status).toBe(200);
    const phone = await api.call(
      'POST',
      '/v1/suppressions',
      JSON.stringify({ address: '+14155550142', reason: 'complained' }),
    );
    expect(phone.status).toBe(200);
    const before = api.footprint();

    const tried = [
      ['qa@example.org', 'email', 'd-30'],
      ['QA@EXAMPLE.ORG', 'email', 'd-30'],
      ['+14155550142', 'sms', 'd-7'],
    ] as const;
    for (const [address, channel, step] of tried) {
      const res = await send(address, channel, step);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = problem.parse(await res.json());
      expect(body.detail).toMatch(/suppression list/);
      expect(body.detail).toMatch(channel === 'email' ? /unsubscribed/ : /complained/);
      expect(body.errors?.[0]?.path).toBe('address');
    }
    expect(api.footprint()).toEqual(before); // nothing sent, nothing written

    // Another address still gets its test message.
    expect((await send('someone-else@example.org')).status).toBe(200);
    expect(api.effects()).toBe(before.effects + 1);
  });
});

describe('releasing an unknown touch', () => {
  const call = (key: object) => api.call('POST', '/v1/deliveries/release', JSON.stringify(key));
  const keyOf = (t: ReturnType<typeof touch>) => ({
    campaignId: t.campaignId,
    stepId: t.stepId,
    customerId: t.customerId,
    channel: t.channel,
    occasion: t.occasion,
  });

  it('releases a dead reservation once its lease ran out; 409 while in flight, once sent or unheld; 404 and 400 otherwise', async () => {
    const lost = touch({ customerId: 'rel-1', occasion: 'o-lost' });
    const sent = touch({ customerId: 'rel-1', occasion: 'o-sent' });
    // A run dated by a simulated clock (2030) reserved both; one was confirmed sent.
    expect(await store.ledger.reserve(lost, 'dead-run', '2030-01-01T09:00:00.000Z')).toBe(true);
    expect(await store.ledger.reserve(sent, 'dead-run', '2030-01-01T09:00:00.000Z')).toBe(true);
    await store.ledger.settle(sent, { status: 'sent', providerMessageId: 'm-1' }, '2030-01-01T09:00:01.000Z');

    const inFlight = await call(keyOf(lost));
    expect(inFlight.status).toBe(409);
    expect(problem.parse(await inFlight.json()).detail).toMatch(/may still be sending/);

    wall.advance(RESERVATION_TIMEOUT_MS);
    const ok = await call(keyOf(lost));
    expect(ok.status).toBe(200);
    expect(released.parse(await ok.json()).delivery.status).toBe('failed');
    // The key is free: a later run may reserve it.
    expect(await store.ledger.reserve(lost, 'next-run', '2030-01-02T09:00:00.000Z')).toBe(true);

    const twice = await call(keyOf(sent));
    expect(twice.status).toBe(409);
    expect(problem.parse(await twice.json()).detail).toMatch(/sent/);
    expect((await store.ledger.getDelivery(sent))?.status).toBe('sent');
    await store.ledger.settle(lost, { status: 'failed', error: 'x' }, '2030-01-02T09:00:01.000Z');
    expect((await call(keyOf(lost))).status).toBe(409); // failed: not held, nothing to release
    expect((await call({ ...keyOf(lost), occasion: 'never' })).status).toBe(404);
    expect((await call({ ...keyOf(lost), customerId: 'x'.repeat(100_000) })).status).toBe(400);
    expect((await call({ ...keyOf(lost), extra: 1 })).status).toBe(400);
  });

  it('GET /v1/deliveries shows a reservation whose lease ran out (wall clock) as unknown, a live one as reserved', async () => {
    // Dated 2030 by a simulated run clock; leased by the machine's clock, which the API judges with.
    const dead = touch({ customerId: 'rel-2', occasion: 'o-dead', dueDate: '2030-01-01' });
    const live = touch({ customerId: 'rel-2', occasion: 'o-live', dueDate: '2030-01-01' });
    wall.set(new Date(Date.now() - RESERVATION_TIMEOUT_MS - 60_000).toISOString());
    await store.ledger.reserve(dead, 'dead-run', '2030-01-01T09:00:00.000Z');
    wall.set(new Date().toISOString());
    await store.ledger.reserve(live, 'live-run', '2030-01-01T09:00:00.000Z');
    const res = await api.call('GET', '/v1/deliveries?customer=rel-2');
    expect(res.status).toBe(200);
    const rows = z
      .object({ deliveries: z.array(z.looseObject({ occasion: z.string(), status: z.string() })) })
      .parse(await res.json()).deliveries;
    expect(rows.map((d) => [d.occasion, d.status])).toEqual([
      ['o-dead', 'unknown'],
      ['o-live', 'reserved'],
    ]);
  });

  it('documents the release route in /openapi.json', async () => {
    const doc = z
      .object({ paths: z.record(z.string(), z.unknown()) })
      .parse(await (await api.app.request('/openapi.json')).json());
    expect(Object.keys(doc.paths)).toContain('/v1/deliveries/release');
  });
});
