// What a customer's SMS reply means: the carrier keywords (opt out, opt in, help) in English and
// Chinese, or anything else, which becomes an `sms.reply` event. And what we answer, in the
// customer's locale. Pure: no AWS imports (docs/two-way-sms.md).
import { MAX_INBOUND_SMS_CHARS, UNSAFE_SMS_TEXT } from './limits.js';

export type KeywordAction = 'opt-out' | 'opt-in' | 'help';

/** The contract's keywords, compared after NFKC, trimming and upper-casing the whole message. */
export const SMS_KEYWORDS: Readonly<Record<KeywordAction, readonly string[]>> = {
  'opt-out': ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', '退订', 'TD', 'T'],
  'opt-in': ['START', 'UNSTOP', 'YES'],
  help: ['HELP', '帮助'],
};

const ACTION_OF = new Map<string, KeywordAction>(
  Object.entries(SMS_KEYWORDS).flatMap(([action, words]) =>
    words.map((w): [string, KeywordAction] => [w, action as KeywordAction]),
  ),
);

/** What an inbound text asks for. `keyword` is upper case: the keyword, or the reply's first word. */
export type InboundIntent =
  | { kind: 'keyword'; action: KeywordAction; keyword: string }
  | { kind: 'reply'; keyword: string; text: string };

/** The first word as a keyword is kept short: it is an event field campaigns compare, not the text. */
export const MAX_REPLY_KEYWORD_CHARS = 64;

/**
 * The message's intent. NFKC first, so a full-width `ＳＴＯＰ` from a Chinese keyboard is `STOP`;
 * the keyword list matches the whole trimmed message (`STOP please` is a reply, as carriers treat it).
 */
export function parseInboundText(text: string): InboundIntent {
  const folded = text.normalize('NFKC').trim();
  const upper = folded.toUpperCase();
  const action = ACTION_OF.get(upper);
  if (action !== undefined) return { kind: 'keyword', action, keyword: upper };
  const first = upper.split(/\s+/u)[0] ?? '';
  return { kind: 'reply', keyword: [...first].slice(0, MAX_REPLY_KEYWORD_CHARS).join(''), text: folded };
}

/** Why an inbound text is refused before anything happens. */
export type InboundTextProblem = 'empty' | 'too-long' | 'unsafe-characters';

/** Empty, longer than a concatenated SMS can be, or holding control/bidi-override characters. */
export function inboundTextProblem(text: string): InboundTextProblem | undefined {
  if (text.trim().length === 0) return 'empty';
  if ([...text].length > MAX_INBOUND_SMS_CHARS) return 'too-long';
  if (UNSAFE_SMS_TEXT.test(text)) return 'unsafe-characters';
  return undefined;
}

const REPLIES: Readonly<Record<'en' | 'zh', Record<KeywordAction, string>>> = {
  en: {
    'opt-out':
      'You are unsubscribed and will get no more text messages from us. Reply START to subscribe again.',
    'opt-in': 'You are subscribed to our text messages again. Reply STOP to unsubscribe, HELP for help.',
    help: 'Messages about your plan and contract. Reply STOP to unsubscribe, START to subscribe again. Message and data rates may apply.',
  },
  zh: {
    'opt-out': '您已退订，我们将不再向您发送短信。回复START可重新订阅。',
    'opt-in': '您已重新订阅我们的短信。回复TD退订，回复帮助获取帮助。',
    help: '本号码发送您的套餐与合约通知。回复TD退订，回复START重新订阅。',
  },
};

/** Who answers when the settings name no sender (`sender.fromName`). */
export const DEFAULT_SMS_BRAND = 'Touchpoint';

/**
 * The answer to a keyword in the customer's locale: Chinese for `zh…`, English otherwise. Carriers
 * want the sender named: Chinese SMS open with the signature in 【】 (as campaign SMS must),
 * English ones with `Brand:`.
 */
export function keywordReply(action: KeywordAction, locale: string, brand = DEFAULT_SMS_BRAND): string {
  if (locale.toLowerCase().startsWith('zh')) return `【${brand}】${REPLIES.zh[action]}`;
  return `${brand}: ${REPLIES.en[action]}`;
}
