// Consent precedence and the unsubscribe token: pure functions, no store.
import { describe, expect, it } from 'vitest';
import {
  applyChange,
  type ConsentChange,
  consentAllows,
  mergeRecordConsent,
  topicOf,
} from '../../../shared/domain/consent.js';
import {
  mayResubscribe,
  signUnsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from '../../../shared/domain/unsubscribe.js';
import { campaign } from './fixtures.js';

const SECRET = 'test-unsubscribe-key';
const subject = {
  customerId: 'c-42',
  channel: 'email' as const,
  topic: 'renewal',
  issuedAt: '2026-11-26T09:00:00.000Z',
};

describe('consent precedence', () => {
  const optOut: ConsentChange = {
    customerId: 'c1',
    channel: 'email',
    value: false,
    source: 'unsubscribe-link',
    at: '2026-11-20T10:00:00.000Z',
    evidence: 'one-click',
  };
  const afterOptOut = () => {
    const out = applyChange({ email: true, sms: true }, {}, optOut);
    if (out.kind !== 'applied') throw new Error('expected applied');
    return { consent: out.consent, state: out.state };
  };
  const record = (over: Partial<{ email: boolean; sms: boolean }> = {}, consentUpdatedAt?: string) => ({
    id: 'c1',
    consent: { email: true, sms: true, ...over },
    ...(consentUpdatedAt !== undefined && { consentUpdatedAt }),
  });
  const opts = { source: 'import' as const, now: '2026-11-25T00:00:00.000Z' };

  it("keeps a customer's own opt-out against an import that says consent true without a later consentUpdatedAt", () => {
    const merged = mergeRecordConsent(afterOptOut(), record(), opts);
    expect(merged.consent.email).toBe(false);
    expect(merged.keptOptedOut).toBe(true);
    expect(merged.entries).toEqual([]);
    // An earlier consentUpdatedAt does not win either.
    expect(mergeRecordConsent(afterOptOut(), record({}, '2026-11-19T00:00:00Z'), opts).consent.email).toBe(
      false,
    );
  });

  it('lets an import resubscribe when its consentUpdatedAt is later than the opt-out, and records it', () => {
    const merged = mergeRecordConsent(afterOptOut(), record({}, '2026-11-21T00:00:00Z'), opts);
    expect(merged.consent.email).toBe(true);
    expect(merged.keptOptedOut).toBe(false);
    expect(merged.entries).toEqual([
      { at: '2026-11-21T00:00:00.000Z', channel: 'email', value: true, source: 'import' },
    ]);
  });

  it("lets an import opt out, and an import's own opt-out does not stand against the next import", () => {
    const prev = { consent: { email: true, sms: true }, state: {} };
    const out = mergeRecordConsent(prev, record({ sms: false }), opts);
    expect(out.consent.sms).toBe(false);
    expect(out.entries).toMatchObject([{ channel: 'sms', value: false, source: 'import' }]);
    const back = mergeRecordConsent({ consent: out.consent, state: out.state }, record(), opts);
    expect(back.consent.sms).toBe(true);
    expect(back.keptOptedOut).toBe(false);
  });

  it('keeps topic opt-outs through an import, which does not carry topics', () => {
    const out = applyChange({ email: true, sms: true }, {}, { ...optOut, topic: 'renewal' });
    if (out.kind !== 'applied') throw new Error('expected applied');
    const merged = mergeRecordConsent({ consent: out.consent, state: out.state }, record(), opts);
    expect(merged.consent).toEqual({ email: true, sms: true, topics: { renewal: false } });
  });

  it('treats the same change again as unchanged, and the same words after a different change as a new one', () => {
    const first = applyChange({ email: true, sms: true }, {}, optOut);
    if (first.kind !== 'applied') throw new Error('expected applied');
    expect(applyChange(first.consent, first.state, { ...optOut, at: '2026-11-21T00:00:00Z' }).kind).toBe(
      'unchanged',
    );
    const back = applyChange(first.consent, first.state, { ...optOut, value: true, evidence: 'page' });
    if (back.kind !== 'applied') throw new Error('expected applied');
    expect(applyChange(back.consent, back.state, optOut).kind).toBe('applied');
  });

  it('suppresses a campaign whose topic is opted out, by its category or else its id', () => {
    const c = campaign({ id: 'winback' });
    expect(topicOf(c)).toBe('winback');
    expect(topicOf({ ...c, category: 'offers' })).toBe('offers');
    const consent = { email: true, sms: true, topics: { offers: false } };
    expect(consentAllows(consent, 'email', 'offers')).toBe(false);
    expect(consentAllows(consent, 'email', 'winback')).toBe(true);
    expect(consentAllows({ ...consent, email: false }, 'email', 'winback')).toBe(false);
  });
});

describe('unsubscribe token', () => {
  it('round-trips the subject and carries no customer id or topic in clear', () => {
    const token = signUnsubscribeToken(SECRET, subject);
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ ok: true, subject });
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    expect(token).not.toContain('c-42');
    expect(decoded).not.toContain('c-42');
    expect(decoded).not.toContain('renewal');
    const url = unsubscribeUrl('https://api.example.com/prod', SECRET, subject);
    expect(url).toMatch(/^https:\/\/api\.example\.com\/prod\/u\/[A-Za-z0-9_-]+$/);
  });

  it('refuses a token with any byte altered, one signed with another key, and garbage', () => {
    const token = signUnsubscribeToken(SECRET, subject);
    const raw = Buffer.from(token, 'base64url');
    for (const i of [0, 13, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[i] = (bad[i] ?? 0) ^ 1;
      expect(verifyUnsubscribeToken(SECRET, bad.toString('base64url'))).toEqual({
        ok: false,
        reason: 'forged',
      });
    }
    expect(verifyUnsubscribeToken('another-key', token)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyUnsubscribeToken(SECRET, 'abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyUnsubscribeToken(SECRET, `${token}%2F`)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyUnsubscribeToken(SECRET, 'A'.repeat(5000))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never expires for opting out, and opts back in only within 90 days of the message', () => {
    expect(mayResubscribe(subject, new Date('2027-02-20T09:00:00Z'))).toBe(true);
    expect(mayResubscribe(subject, new Date('2027-02-25T09:00:00Z'))).toBe(false);
  });
});
