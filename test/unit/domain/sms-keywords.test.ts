import { describe, expect, it } from 'vitest';
import { MAX_INBOUND_SMS_CHARS } from '../../../shared/domain/limits.js';
import {
  inboundTextProblem,
  keywordReply,
  parseInboundText,
  SMS_KEYWORDS,
} from '../../../shared/domain/sms-keywords.js';

describe('SMS keywords', () => {
  it.each([
    ['STOP', 'opt-out'],
    [' stop ', 'opt-out'],
    ['StopAll', 'opt-out'],
    ['unsubscribe', 'opt-out'],
    ['Cancel', 'opt-out'],
    ['end', 'opt-out'],
    ['quit', 'opt-out'],
    ['退订', 'opt-out'],
    ['td', 'opt-out'],
    ['t', 'opt-out'],
    ['ＳＴＯＰ', 'opt-out'],
    ['\u3000退订\u3000', 'opt-out'],
    ['start', 'opt-in'],
    ['Unstop', 'opt-in'],
    ['yes', 'opt-in'],
    ['help', 'help'],
    ['帮助', 'help'],
  ] as const)('reads %j as %s, whatever its case and surrounding spaces', (text, action) => {
    const intent = parseInboundText(text);
    expect(intent).toMatchObject({ kind: 'keyword', action });
  });

  it('treats a keyword inside a longer message as a reply with its first word upper-cased', () => {
    expect(parseInboundText('stop please')).toEqual({ kind: 'reply', keyword: 'STOP', text: 'stop please' });
    expect(parseInboundText(' renew  now ')).toEqual({ kind: 'reply', keyword: 'RENEW', text: 'renew  now' });
    expect(parseInboundText('XY')).toEqual({ kind: 'reply', keyword: 'XY', text: 'XY' });
    expect(parseInboundText('续约 谢谢')).toEqual({ kind: 'reply', keyword: '续约', text: '续约 谢谢' });
  });

  it('lists exactly the contract keywords', () => {
    expect(SMS_KEYWORDS['opt-out']).toEqual([
      'STOP',
      'STOPALL',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      '退订',
      'TD',
      'T',
    ]);
    expect(SMS_KEYWORDS['opt-in']).toEqual(['START', 'UNSTOP', 'YES']);
    expect(SMS_KEYWORDS.help).toEqual(['HELP', '帮助']);
  });

  it('answers in the customer locale: Chinese for zh, English otherwise', () => {
    expect(keywordReply('opt-out', 'zh-CN')).toMatch(/^【Touchpoint】您已退订/);
    expect(keywordReply('help', 'zh-TW', 'Acme')).toMatch(/^【Acme】.*TD/);
    expect(keywordReply('opt-out', 'en-US')).toMatch(/^Touchpoint: You are unsubscribed/);
    expect(keywordReply('opt-in', 'de-DE', 'Acme')).toMatch(/^Acme: You are subscribed/);
  });

  it('refuses an empty, oversized or control-laden reply', () => {
    expect(inboundTextProblem('   ')).toBe('empty');
    expect(inboundTextProblem('a'.repeat(MAX_INBOUND_SMS_CHARS + 1))).toBe('too-long');
    expect(inboundTextProblem('好'.repeat(MAX_INBOUND_SMS_CHARS))).toBeUndefined();
    expect(inboundTextProblem('stop\u0000')).toBe('unsafe-characters');
    expect(inboundTextProblem('\u202eSTOP')).toBe('unsafe-characters');
    expect(inboundTextProblem('line one\nline two')).toBeUndefined();
  });
});
