// Webhook acceptance over in-memory ports: the order of the refusals, one effect per webhook-id,
// nothing published for what is refused, and what a flood of failed verifications can and cannot do.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { FailureLimiter, PartnerRateLimiter } from '../../../shared/api/webhooks/rate-limit.js';
import { newSecret } from '../../../shared/partners/secrets.js';
import type { DomainEvent } from '../../../shared/ports/events.js';
import { addPartner } from '../../../shared/usecases/partners/partners.js';
import {
  acceptWebhook,
  isJsonContentType,
  type WebhookDeps,
  type WebhookRequest,
} from '../../../shared/usecases/webhooks/accept-webhook.js';
import { PartnerCache } from '../../../shared/usecases/webhooks/partner-cache.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../domain/fixtures.js';

const event = { id: 'ev-1', customerId: 'c1', type: 'app.login', occurredAt: '2026-11-26T08:00:00Z' };

async function setup(opts: { admitted?: boolean; limiters?: boolean } = {}) {
  const clock = manualClock('2026-11-26T09:00:00Z');
  const store = memoryStores(clock);
  await store.documents.putCustomers([customer('c1')]);
  const added = await addPartner({ ...store, clock }, 'acme');
  if (!added.ok) throw new Error('partner not added');
  const published: DomainEvent[] = [];
  const reads: string[] = [];
  const partnerTakes: string[] = [];
  const limiter = new PartnerRateLimiter();
  const failures = new FailureLimiter();
  const deps: WebhookDeps = {
    ...store,
    partners: new PartnerCache({
      getPartner: (id) => {
        reads.push(id);
        return store.partners.getPartner(id);
      },
    }),
    events: { publish: async (events) => void published.push(...events) },
    clock,
    throttle: opts.limiters
      ? {
          partner: (id, nowMs) => {
            partnerTakes.push(id);
            return limiter.take(id, nowMs);
          },
          withinFailureBudget: (nowMs) => failures.within('client', nowMs),
          failure: (nowMs) => failures.take('client', nowMs),
        }
      : {
          partner: (id) => {
            partnerTakes.push(id);
            return opts.admitted === false ? { ok: false, retryAfterSeconds: 3 } : { ok: true };
          },
          withinFailureBudget: () => true,
          failure: () => ({ ok: true }),
        },
    log: { info: () => {} },
  };
  const request = (
    payload: string,
    id = 'msg-1',
    secret = added.value.secret,
    over: Partial<WebhookRequest> = {},
  ): WebhookRequest => ({
    partnerId: 'acme',
    contentType: 'application/json',
    headers: {
      id,
      timestamp: String(Math.floor(clock.now().getTime() / 1000)),
      signature: new Webhook(secret).sign(id, clock.now(), payload),
    },
    payload,
    ...over,
  });
  return { deps, store, clock, published, reads, partnerTakes, request, secret: added.value.secret };
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

  it('refuses, in order: unknown partner or bad signature, throttled, content type, not JSON, not an event, from the future, unknown customer', async () => {
    const { deps, store, published, request, partnerTakes } = await setup();
    const ok = request(JSON.stringify(event));
    expect(await acceptWebhook(deps, { ...ok, partnerId: 'nobody' })).toMatchObject({
      reason: 'unauthorized',
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
    // Neither refusal took a token of the partner's.
    expect(partnerTakes).toEqual([]);
    const throttled = await setup({ admitted: false });
    expect(await acceptWebhook(throttled.deps, throttled.request('{}'))).toEqual({
      ok: false,
      reason: 'throttled',
      scope: 'partner',
      retryAfterSeconds: 3,
    });
    expect(
      await acceptWebhook(
        deps,
        request(JSON.stringify(event), 'm3', undefined, { contentType: 'text/plain' }),
      ),
    ).toEqual({ ok: false, reason: 'unsupported-media-type' });
    expect(await acceptWebhook(deps, request('not json', 'm4'))).toEqual({ ok: false, reason: 'not-json' });
    expect(await acceptWebhook(deps, request('{"id":"x"}', 'm5'))).toMatchObject({ reason: 'invalid-event' });
    expect(
      await acceptWebhook(
        deps,
        request(JSON.stringify({ ...event, customerId: 'ghost', occurredAt: '2026-11-26T09:06:00Z' }), 'm6'),
      ),
    ).toMatchObject({ reason: 'future-event' });
    expect(
      await acceptWebhook(deps, request(JSON.stringify({ ...event, customerId: 'ghost' }), 'm7')),
    ).toEqual({ ok: false, reason: 'unknown-customer', customerId: 'ghost' });
    expect(published).toEqual([]);
    // The partner log counts each refusal after the signature, by reason, and nothing before it.
    expect(await store.partnerActivity.refusalCounts('acme', '2026-11-26T00')).toEqual([
      { hour: '2026-11-26T09', reason: 'future-event', count: 1 },
      { hour: '2026-11-26T09', reason: 'invalid-event', count: 1 },
      { hour: '2026-11-26T09', reason: 'not-json', count: 1 },
      { hour: '2026-11-26T09', reason: 'unknown-customer', count: 1 },
      { hour: '2026-11-26T09', reason: 'unsupported-media-type', count: 1 },
    ]);
    expect([...store.partnerActivity.refusals.keys()]).toEqual(['acme']);
    expect(await throttled.store.partnerActivity.refusalCounts('acme', '2026-11-26T00')).toEqual([
      { hour: '2026-11-26T09', reason: 'throttled', count: 1 },
    ]);
    expect(await store.partnerActivity.recentPartnerEvents('acme', 50)).toEqual([]);
  });

  it('logs an accepted event once, with its type and no customer; a replay adds nothing', async () => {
    const { deps, store, request } = await setup();
    await acceptWebhook(deps, request(JSON.stringify(event)));
    await acceptWebhook(deps, request(JSON.stringify(event)));
    expect(await store.partnerActivity.recentPartnerEvents('acme', 50)).toEqual([
      { eventId: 'ev-1', type: 'app.login', receivedAt: '2026-11-26T09:00:00.000Z' },
    ]);
  });

  it('answers a webhook as always when the partner log cannot be written', async () => {
    const { deps, request } = await setup();
    const failing = {
      ...deps,
      partnerActivity: {
        recordPartnerEvent: async () => Promise.reject(new Error('throttled')),
        countRefusal: async () => Promise.reject(new Error('throttled')),
      },
    };
    expect(await acceptWebhook(failing, request(JSON.stringify(event)))).toMatchObject({ ok: true });
    expect(await acceptWebhook(failing, request('not json', 'm9'))).toEqual({
      ok: false,
      reason: 'not-json',
    });
  });

  it('refuses an occurredAt later than the moment of receipt plus the signature tolerance, and keeps the webhook-id free', async () => {
    const { deps, published, request } = await setup();
    // Receipt at 09:00Z, tolerance 5 min: 09:05:00Z is the latest instant accepted, in any offset.
    for (const occurredAt of ['2026-11-26T09:05:01Z', '2026-11-26T17:05:01+08:00', '9999-01-01T00:00:00Z']) {
      const refused = await acceptWebhook(deps, request(JSON.stringify({ ...event, occurredAt }), 'w-1'));
      expect(refused.ok, occurredAt).toBe(false);
      expect(refused).toMatchObject(
        occurredAt.startsWith('9999')
          ? { ok: false } // out of the sane years: the schema refuses it first (400)
          : { reason: 'future-event', latest: '2026-11-26T09:05:00.000Z' },
      );
    }
    expect(published).toEqual([]);
    const corrected = { ...event, occurredAt: '2026-11-26T17:05:00+08:00' };
    expect(await acceptWebhook(deps, request(JSON.stringify(corrected), 'w-1'))).toEqual({
      ok: true,
      eventId: 'ev-1',
      duplicate: false,
    });
    expect(published.map((e) => e.detail)).toEqual([corrected]);
  });

  it('200 unsigned requests cost the partner no token and the store one read, and its next genuine request is accepted', async () => {
    const { deps, request, reads, partnerTakes } = await setup({ limiters: true });
    const outcomes = [];
    for (let i = 0; i < 200; i++)
      outcomes.push(
        await acceptWebhook(deps, {
          ...request(JSON.stringify(event), `u-${i}`),
          headers: { id: `u-${i}`, timestamp: undefined, signature: undefined },
        }),
      );
    const reasons = outcomes.map((o) => (o.ok ? 'accepted' : o.reason));
    // The client's failure budget (burst 20) answers 401, then 429; never a partner's bucket.
    expect(reasons.slice(0, 20)).toEqual(Array(20).fill('unauthorized'));
    expect(new Set(reasons.slice(20))).toEqual(new Set(['throttled']));
    expect(outcomes[199]).toMatchObject({ scope: 'failures' });
    expect(partnerTakes).toEqual([]);
    expect(reads).toEqual(['acme']);
    expect(await acceptWebhook(deps, request(JSON.stringify(event), 'genuine'))).toMatchObject({
      ok: true,
      duplicate: false,
    });
    expect(partnerTakes).toEqual(['acme']);
  });

  it('unknown and known partner ids get the same answers to a flood of bad signatures', async () => {
    const answers = async (partnerId: string) => {
      const { deps, request } = await setup({ limiters: true });
      const out = [];
      for (let i = 0; i < 60; i++) {
        const wrong = request(JSON.stringify(event), `b-${i}`, newSecret(new Date()).secret);
        out.push(await acceptWebhook(deps, { ...wrong, partnerId }));
      }
      return out;
    };
    const known = await answers('acme');
    expect(known.filter((o) => !o.ok && o.reason === 'unauthorized')).toHaveLength(20);
    expect(await answers('nobody')).toEqual(known);
    expect(await answers('not a valid id!')).toEqual(known);
  });

  it('a secret rotated out after the partner was cached is refused at once; a new partner is read, not refused from the cache', async () => {
    const { deps, store, clock, request, secret } = await setup();
    expect(await acceptWebhook(deps, request(JSON.stringify(event), 'r-1'))).toMatchObject({ ok: true });
    // Rotated with no rollover (a leaked secret): the cached read still holds the old secret.
    await store.partners.rotatePartnerSecret('acme', newSecret(clock.now()), 0);
    expect(await acceptWebhook(deps, request(JSON.stringify(event), 'r-2', secret))).toMatchObject({
      reason: 'unauthorized',
    });
    const later = await addPartner({ ...store, clock }, 'late');
    if (!later.ok) throw new Error('partner not added');
    clock.advance(5_000); // past the cache's TTL for any earlier read of 'late'
    expect(
      await acceptWebhook(deps, {
        ...request(JSON.stringify(event), 'r-3', later.value.secret),
        partnerId: 'late',
      }),
    ).toMatchObject({ ok: true });
  });
});

describe('isJsonContentType', () => {
  it('takes application/json with parameters and a UTF-8 charset, nothing else', () => {
    for (const ok of [
      'application/json',
      'Application/JSON',
      'application/json; charset=utf-8',
      'application/json;charset="UTF-8"',
      'application/json; foo=bar',
    ])
      expect(isJsonContentType(ok), ok).toBe(true);
    for (const no of [
      undefined,
      '',
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'application/jsonx',
      'application/json; charset=iso-8859-1',
      'application/ld+json',
    ])
      expect(isJsonContentType(no), String(no)).toBe(false);
  });
});
