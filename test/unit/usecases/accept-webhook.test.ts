// Webhook acceptance over in-memory ports: the order of the refusals, one effect per webhook-id,
// and nothing published for what is refused.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../shared/ports/events.js';
import { addPartner } from '../../../shared/usecases/partners/partners.js';
import { acceptWebhook, type WebhookDeps } from '../../../shared/usecases/webhooks/accept-webhook.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const clock = manualClock('2026-11-26T09:00:00Z');
const event = { id: 'ev-1', customerId: 'c1', type: 'app.login', occurredAt: '2026-11-26T08:00:00Z' };

async function setup(admitted = true) {
  const store = memoryStores(clock);
  await store.documents.putCustomers([customer('c1')]);
  const added = await addPartner({ ...store, clock }, 'acme');
  if (!added.ok) throw new Error('partner not added');
  const published: DomainEvent[] = [];
  const deps: WebhookDeps = {
    ...store,
    events: { publish: async (events) => void published.push(...events) },
    clock,
    admit: () => (admitted ? { ok: true } : { ok: false, retryAfterSeconds: 3 }),
    log: { info: () => {} },
  };
  const request = (payload: string, id = 'msg-1', secret = added.value.secret) => ({
    partnerId: 'acme',
    headers: {
      id,
      timestamp: String(Math.floor(clock.now().getTime() / 1000)),
      signature: new Webhook(secret).sign(id, clock.now(), payload),
    },
    payload,
  });
  return { deps, published, request };
}

describe('acceptWebhook', () => {
  it('publishes a signed event of a known customer once; the same webhook-id again is a duplicate', async () => {
    const { deps, published, request } = await setup();
    expect(await acceptWebhook(deps, request(JSON.stringify(event)))).toEqual({
      ok: true,
      eventId: 'ev-1',
      duplicate: false,
    });
    expect(await acceptWebhook(deps, request(JSON.stringify(event)))).toEqual({ ok: true, duplicate: true });
    expect(published.map((e) => e.detail)).toEqual([event]);
  });

  it('refuses, in order: unknown partner, throttled, bad signature, not JSON, not an event, unknown customer', async () => {
    const { deps, published, request } = await setup();
    const ok = request(JSON.stringify(event));
    expect(await acceptWebhook(deps, { ...ok, partnerId: 'nobody' })).toMatchObject({
      reason: 'unauthorized',
    });
    const throttled = await setup(false);
    expect(await acceptWebhook(throttled.deps, throttled.request('{}'))).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: 3,
    });
    expect(
      await acceptWebhook(
        deps,
        request(JSON.stringify(event), 'm2', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      ),
    ).toMatchObject({
      reason: 'unauthorized',
      detail: expect.stringContaining('no-matching-signature'),
    });
    expect(await acceptWebhook(deps, request('not json', 'm3'))).toEqual({ ok: false, reason: 'not-json' });
    expect(await acceptWebhook(deps, request('{"id":"x"}', 'm4'))).toMatchObject({ reason: 'invalid-event' });
    expect(
      await acceptWebhook(deps, request(JSON.stringify({ ...event, customerId: 'ghost' }), 'm5')),
    ).toEqual({ ok: false, reason: 'unknown-customer', customerId: 'ghost' });
    expect(published).toEqual([]);
  });
});
