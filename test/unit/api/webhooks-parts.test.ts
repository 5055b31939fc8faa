// The pure parts of the webhook path: signature verification (against the standardwebhooks library's
// own signing), secret rotation windows, the per-partner and failure token buckets, the partner
// cache, the client's address, and local bus rule matching.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  busRulesFromTemplate,
  EVENTBRIDGE_DEFAULT_RETRY,
  LAMBDA_ASYNC_DEFAULT_RETRY,
  matchesPattern,
} from '../../../local/bus-rules.js';
import { clientAddress } from '../../../shared/api/webhooks/client-address.js';
import { FailureLimiter, PartnerRateLimiter } from '../../../shared/api/webhooks/rate-limit.js';
import { newPartner, newSecret, rotateSecrets, validSecrets } from '../../../shared/partners/secrets.js';
import type { Partner } from '../../../shared/ports/partners.js';
import { PartnerCache } from '../../../shared/usecases/webhooks/partner-cache.js';
import { verifyWebhook } from '../../../shared/usecases/webhooks/signature.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const secret = newSecret(NOW).secret;
const body = '{"id":"e-1"}';
const signed = (s: string, at: Date, id = 'msg-1', payload = body) => ({
  id,
  timestamp: String(Math.floor(at.getTime() / 1000)),
  signature: new Webhook(s).sign(id, at, payload),
});

describe('verifyWebhook', () => {
  it('accepts what the library signs, also among several signatures', () => {
    expect(
      verifyWebhook({ secrets: [secret], headers: signed(secret, NOW), payload: body, now: NOW }),
    ).toEqual({ ok: true, webhookId: 'msg-1' });
    const h = signed(secret, NOW);
    const multi = { ...h, signature: `v1,AAAA v2,xyz ${h.signature}` };
    expect(verifyWebhook({ secrets: [secret], headers: multi, payload: body, now: NOW }).ok).toBe(true);
  });

  it('refuses a tampered body, another secret, missing headers, a v2-only signature', () => {
    const h = signed(secret, NOW);
    const other = newSecret(NOW).secret;
    expect(verifyWebhook({ secrets: [secret], headers: h, payload: `${body} `, now: NOW })).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
    expect(verifyWebhook({ secrets: [other], headers: h, payload: body, now: NOW })).toEqual({
      ok: false,
      reason: 'no-matching-signature',
    });
    expect(
      verifyWebhook({ secrets: [secret], headers: { ...h, signature: undefined }, payload: body, now: NOW }),
    ).toEqual({ ok: false, reason: 'missing-headers' });
    expect(
      verifyWebhook({
        secrets: [secret],
        headers: { ...h, signature: h.signature.replace('v1,', 'v2,') },
        payload: body,
        now: NOW,
      }).ok,
    ).toBe(false);
    expect(verifyWebhook({ secrets: [], headers: h, payload: body, now: NOW }).ok).toBe(false);
  });

  it('allows ±5 minutes and refuses a second more, either way; refuses a non-numeric timestamp', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    for (const [offset, ok] of [
      [-300_000, true],
      [300_000, true],
      [-301_000, false],
      [301_000, false],
      [-360_000, false],
      [360_000, false],
    ] as const) {
      expect(
        verifyWebhook({ secrets: [secret], headers: signed(secret, at(offset)), payload: body, now: NOW }).ok,
        `offset ${offset}`,
      ).toBe(ok);
    }
    expect(
      verifyWebhook({
        secrets: [secret],
        headers: { ...signed(secret, NOW), timestamp: '1e9' },
        payload: body,
        now: NOW,
      }),
    ).toEqual({
      ok: false,
      reason: 'invalid-timestamp',
    });
  });
});

describe('secret rotation', () => {
  it('keeps the previous secret valid for the rollover window, then only the new one', () => {
    const p = newPartner('acme', NOW);
    const later = new Date(NOW.getTime() + 60_000);
    const next = newSecret(later);
    const secrets = rotateSecrets(p.secrets, next, 3_600_000);
    const rotated = { ...p, secrets };
    expect(secrets[0]).toEqual(next);
    expect(validSecrets(rotated, new Date(later.getTime() + 3_599_999))).toEqual([
      next.secret,
      p.secrets[0]?.secret,
    ]);
    expect(validSecrets(rotated, new Date(later.getTime() + 3_600_000))).toEqual([next.secret]);
  });

  it('drops expired secrets and never extends a window that is already shorter', () => {
    const s0 = newSecret(NOW);
    const s1 = newSecret(new Date(NOW.getTime() + 1000));
    const afterFirst = rotateSecrets([s0], s1, 10_000);
    const s2 = newSecret(new Date(NOW.getTime() + 2000));
    const afterSecond = rotateSecrets(afterFirst, s2, 60_000);
    expect(afterSecond.map((s) => s.secret)).toEqual([s2.secret, s1.secret, s0.secret]);
    expect(afterSecond[2]?.expiresAt).toBe(new Date(NOW.getTime() + 11_000).toISOString());
    const s3 = newSecret(new Date(NOW.getTime() + 20_000));
    expect(rotateSecrets(afterSecond, s3, 60_000).map((s) => s.secret)).toEqual([
      s3.secret,
      s2.secret,
      s1.secret,
    ]);
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const { secret: s } = newSecret(NOW);
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(newSecret(NOW).secret).not.toBe(s);
  });
});

describe('PartnerRateLimiter', () => {
  it('lets a burst through, then refuses with Retry-After until tokens refill, per partner', () => {
    const limiter = new PartnerRateLimiter({ ratePerSecond: 20, burst: 40 });
    const results = Array.from({ length: 41 }, () => limiter.take('a', 0));
    expect(results.filter((r) => r.ok)).toHaveLength(40);
    expect(results[40]).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', 0).ok).toBe(true);
    expect(limiter.take('a', 49).ok).toBe(false);
    expect(limiter.take('a', 50).ok).toBe(true);
    // A clock that steps back refills nothing.
    expect(limiter.take('a', 0).ok).toBe(false);
  });
});

describe('FailureLimiter', () => {
  it('limits failed verifications per client and per instance, and one noisy client does not spend the instance budget', () => {
    const limiter = new FailureLimiter({
      perClient: { ratePerSecond: 1, burst: 3 },
      perInstance: { ratePerSecond: 1, burst: 5 },
    });
    const a = Array.from({ length: 10 }, () => limiter.take('10.0.0.1', 0));
    expect(a.map((r) => r.ok)).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(limiter.within('10.0.0.1', 0)).toBe(false);
    // Another client still has its own budget, and the instance's has 2 of 5 left.
    expect(limiter.within('10.0.0.2', 0)).toBe(true);
    expect([
      limiter.take('10.0.0.2', 0).ok,
      limiter.take('10.0.0.3', 0).ok,
      limiter.take('10.0.0.4', 0).ok,
    ]).toEqual([true, true, false]);
    // The instance's budget is spent, yet a client within its own may still be read for (within).
    expect(limiter.within('10.0.0.5', 0)).toBe(true);
    expect(limiter.take('10.0.0.1', 1000)).toEqual({ ok: true });
  });
});

describe('PartnerCache', () => {
  const partner: Partner = { id: 'acme', createdAt: NOW.toISOString(), secrets: [newSecret(NOW)] };

  it('reuses a read (a partner or "no such partner") for its TTL, and a clock that steps back makes it stale', async () => {
    const reads: string[] = [];
    const cache = new PartnerCache(
      {
        getPartner: async (id) => {
          reads.push(id);
          return id === 'acme' ? partner : undefined;
        },
      },
      { ttlMs: 1000, maxUnknown: 10 },
    );
    expect(cache.cached('acme', 0)).toBeUndefined();
    expect(await cache.read('acme', 0)).toEqual(partner);
    expect(await cache.read('ghost', 0)).toBeUndefined();
    expect(cache.cached('acme', 999)).toEqual({ partner, fresh: true });
    expect(cache.cached('ghost', 999)).toEqual({ partner: undefined, fresh: true });
    expect(cache.cached('acme', 1000)).toEqual({ partner, fresh: false });
    expect(cache.cached('acme', -1)).toEqual({ partner, fresh: false });
    expect(reads).toEqual(['acme', 'ghost']);
  });

  it('forgets the oldest unknown ids first and never pushes a partner out', async () => {
    const cache = new PartnerCache(
      { getPartner: async (id) => (id === 'acme' ? partner : undefined) },
      { ttlMs: 1000, maxUnknown: 3 },
    );
    await cache.read('acme', 0);
    for (let i = 0; i < 100; i++) await cache.read(`ghost-${i}`, 0);
    expect(cache.cached('acme', 0)).toEqual({ partner, fresh: true });
    expect(cache.cached('ghost-96', 0)).toBeUndefined();
    expect(cache.cached('ghost-97', 0)).toEqual({ partner: undefined, fresh: true });
  });
});

describe('clientAddress', () => {
  it("takes the socket's address or API Gateway's sourceIp, never X-Forwarded-For", () => {
    expect(clientAddress({ incoming: { socket: { remoteAddress: '127.0.0.1' } } })).toBe('127.0.0.1');
    expect(clientAddress({ requestContext: { identity: { sourceIp: '198.51.100.7' } } })).toBe(
      '198.51.100.7',
    );
    expect(clientAddress({ requestContext: { http: { sourceIp: '2001:db8::1' } } })).toBe('2001:db8::1');
    expect(clientAddress({ headers: { 'x-forwarded-for': '203.0.113.9' } })).toBe('unknown');
    expect(clientAddress(undefined)).toBe('unknown');
  });
});

describe('local bus rules', () => {
  const fn = (entry: string) => ({ Type: 'AWS::Lambda::Function', Metadata: { 'touchpoint:entry': entry } });
  const rule = (bus: unknown, pattern: Record<string, unknown>, target = 'Ingest') => ({
    Type: 'AWS::Events::Rule',
    Properties: {
      EventBusName: bus,
      EventPattern: pattern,
      Targets: [{ Arn: { 'Fn::GetAtt': [target, 'Arn'] }, Id: 'T' }],
    },
  });
  const template = {
    Resources: {
      Bus: { Type: 'AWS::Events::EventBus' },
      Ingest: fn('functions/ingest-event.ts'),
      Partner: rule({ Ref: 'Bus' }, { source: ['touchpoint.partner'], 'detail-type': ['CustomerEvent'] }),
      OnDefault: rule('default', { source: ['aws.ses'] }),
      Scheduled: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)' } },
    },
  };

  it('reads the project and default bus rules with their target entries', () => {
    const target = {
      functionLogicalId: 'Ingest',
      entry: 'functions/ingest-event.ts',
      retry: EVENTBRIDGE_DEFAULT_RETRY,
      functionRetry: LAMBDA_ASYNC_DEFAULT_RETRY,
    };
    expect(busRulesFromTemplate(template)).toEqual([
      {
        logicalId: 'Partner',
        bus: 'project',
        pattern: { source: ['touchpoint.partner'], 'detail-type': ['CustomerEvent'] },
        targets: [target],
      },
      { logicalId: 'OnDefault', bus: 'default', pattern: { source: ['aws.ses'] }, targets: [target] },
    ]);
  });

  it('refuses content filters it cannot match faithfully', () => {
    const bad = {
      Resources: { ...template.Resources, Partner: rule({ Ref: 'Bus' }, { source: [{ prefix: 'touch' }] }) },
    };
    expect(() => busRulesFromTemplate(bad)).toThrow(/content filter/);
  });

  it('matches equality lists, nested fields and array values', () => {
    const pattern = { source: ['a', 'b'], detail: { kind: ['x'], tags: { env: ['dev'] } } };
    expect(matchesPattern(pattern, { source: 'b', detail: { kind: 'x', tags: { env: 'dev' } } })).toBe(true);
    expect(matchesPattern(pattern, { source: 'b', detail: { kind: ['y', 'x'], tags: { env: 'dev' } } })).toBe(
      true,
    );
    expect(matchesPattern(pattern, { source: 'c', detail: { kind: 'x', tags: { env: 'dev' } } })).toBe(false);
    expect(matchesPattern(pattern, { source: 'a', detail: { kind: 'x' } })).toBe(false);
    expect(matchesPattern(pattern, { source: 'a' })).toBe(false);
  });
});
