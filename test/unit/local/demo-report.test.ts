// What `npm start` prints per demo day: local time in the customer's zone beside UTC (across a DST
// change), what the customer reads, and the touches that did not go out grouped by reason.
import { describe, expect, it } from 'vitest';
import {
  type DemoTouch,
  firstWords,
  localTime,
  notSentHeading,
  notSentLines,
  reasonTotals,
  sentTable,
  utcTime,
} from '../../../local/cli/demo-report.js';

const touch = (over: Partial<DemoTouch>): DemoTouch => ({
  campaignId: 'contract-renewal',
  stepId: 'd-30',
  customerId: 'c-1',
  channel: 'email',
  tier: 'key',
  locale: 'en-US',
  sendAt: '2026-11-26T17:00:00.000Z',
  outcome: 'sent',
  ...over,
});

describe('localTime', () => {
  it('names the zone and the offset it has on that day', () => {
    expect(localTime('2026-11-26T01:00:00.000Z', 'Asia/Shanghai')).toBe(
      '2026-11-26 09:00 Asia/Shanghai (UTC+8)',
    );
    // Los Angeles is on daylight time in October and on standard time in November.
    expect(localTime('2026-10-26T16:00:00.000Z', 'America/Los_Angeles')).toBe(
      '2026-10-26 09:00 America/Los_Angeles (UTC-7)',
    );
    expect(localTime('2026-11-26T17:00:00.000Z', 'America/Los_Angeles')).toBe(
      '2026-11-26 09:00 America/Los_Angeles (UTC-8)',
    );
  });

  it('says so when the zone is unknown rather than showing UTC as local', () => {
    expect(localTime('2026-11-26T01:00:00.000Z', undefined)).toBe('(zone unknown)');
    expect(localTime('2026-11-26T01:00:00.000Z', 'Mars/Olympus')).toBe('(invalid zone Mars/Olympus)');
  });

  it('prints UTC with its name', () => {
    expect(utcTime('2026-11-26T21:00:00.000Z')).toBe('2026-11-26 21:00 UTC');
  });
});

describe('firstWords', () => {
  it('cuts at a word boundary, and text without spaces by characters', () => {
    expect(firstWords('Touchpoint: we miss you, Aroha. STOP to opt out', 30)).toBe(
      'Touchpoint: we miss you,…',
    );
    expect(firstWords('短信\n内容', 48)).toBe('短信 内容');
    expect(firstWords('一二三四五六七八九十', 4)).toBe('一二三四…');
  });
});

describe('sentTable', () => {
  const zones = new Map([
    ['c-1', 'America/Los_Angeles'],
    ['c-2', 'Pacific/Auckland'],
  ]);
  const received = new Map([
    ['m-1', { subject: 'Two weeks left on your plan', text: 'ignored for email' }],
    ['m-2', { text: 'Touchpoint: happy birthday, Aroha! A gift for you' }],
  ]);

  it('shows each send with local time, UTC, tier, locale and what the customer reads, in send order', () => {
    const out = sentTable({
      zones,
      received,
      touches: [
        touch({ customerId: 'c-1', providerMessageId: 'm-1' }),
        touch({
          customerId: 'c-2',
          channel: 'sms',
          tier: 'standard',
          locale: 'en-NZ',
          campaignId: 'birthday',
          stepId: 'day',
          sendAt: '2026-11-25T20:00:00.000Z',
          providerMessageId: 'm-2',
        }),
        touch({ customerId: 'c-1', outcome: 'suppressed', outcomeReason: 'holdout' }),
      ],
    });
    const [header, , first, second, ...rest] = out.split('\n');
    expect(header).toMatch(
      /^utc\s+local time\s+tier\s+locale\s+customer\s+channel\s+campaign\/step\s+subject/,
    );
    expect(first).toMatch(
      /^2026-11-25 20:00 UTC\s+2026-11-26 09:00 Pacific\/Auckland \(UTC\+13\)\s+standard\s+en-NZ\s+c-2\s+sms\s+birthday\/day\s+Touchpoint: happy birthday, Aroha! A gift for…$/,
    );
    expect(second).toMatch(
      /^2026-11-26 17:00 UTC\s+2026-11-26 09:00 America\/Los_Angeles \(UTC-8\)\s+key\s+en-US\s+c-1\s+email\s+contract-renewal\/d-30\s+Two weeks left on your plan$/,
    );
    expect(rest).toEqual([]);
  });

  it('says when a sent message is missing from the outbox', () => {
    const out = sentTable({ zones, received, touches: [touch({ providerMessageId: 'gone' })] });
    expect(out).toContain('(not found in the outbox)');
  });
});

describe('touches not sent', () => {
  const touches = [
    touch({ outcome: 'sent' }),
    touch({ outcome: 'suppressed', outcomeReason: 'no-consent', customerId: 'c-5', channel: 'sms' }),
    touch({ outcome: 'suppressed', outcomeReason: 'holdout', campaignId: 'win-back', stepId: 'd60' }),
    touch({ outcome: 'suppressed', outcomeReason: 'no-consent', customerId: 'c-6', channel: 'sms' }),
    touch({ outcome: 'suppressed', outcomeReason: 'no-consent', customerId: 'c-7', channel: 'sms' }),
  ];

  it('groups them by reason, most frequent first, naming each touch up to a limit', () => {
    expect(notSentLines(touches, 2)).toEqual([
      '  no-consent (3): contract-renewal/d-30 c-5 sms, contract-renewal/d-30 c-6 sms, +1 more',
      '  holdout (1): win-back/d60 c-1 email',
    ]);
    expect(reasonTotals(touches)).toBe('no-consent 3, holdout 1');
    expect(notSentHeading(touches)).toBe('suppressed');
  });

  it('calls a failed send "not sent", with the outcome as its reason', () => {
    const failed = [touch({ outcome: 'failed' })];
    expect(notSentHeading(failed)).toBe('not sent');
    expect(notSentLines(failed)).toEqual(['  failed (1): contract-renewal/d-30 c-1 email']);
  });
});
