// The preference page behind every unsubscribe link, in the customer's locale (en-US and zh-CN).
// Everything shown is escaped; nothing personal is shown (no name, no address). One form posts back
// to the same URL, so it works under any base path (API Gateway's stage, the local API).
import type { PageLocale, PreferenceView } from '../../usecases/consent/preferences.js';

const TEXT = {
  'en-US': {
    title: 'Your email and text preferences',
    channel: { email: 'emails', sms: 'text messages' },
    intro: (ch: string, topic: string) => `This link came with ${ch} about “${topic}”.`,
    confirm: (topic: string) => `Unsubscribe from “${topic}”`,
    all: (ch: string) => `Unsubscribe from all ${ch}`,
    topicsHeading: 'Choose what you receive',
    save: 'Save my choices',
    resubscribe: 'Subscribe again',
    channelOff: (ch: string) => `You receive no ${ch} from us.`,
    done: 'Your choice is saved. It takes effect for the next message we plan.',
    nothing: 'Nothing needed changing: your choices were already saved.',
    tooOld:
      'This link is too old to subscribe again. Opting out always works; to subscribe again, use a link from a recent message.',
    unknown: 'We hold no details for this link any more, so we will send nothing to you.',
    invalidTitle: 'This link is not valid',
    invalid: 'The link is incomplete or was changed. Please use the link exactly as it came in the message.',
  },
  'zh-CN': {
    title: '您的邮件和短信偏好',
    channel: { email: '邮件', sms: '短信' },
    intro: (ch: string, topic: string) => `此链接来自关于“${topic}”的${ch}。`,
    confirm: (topic: string) => `退订“${topic}”`,
    all: (ch: string) => `退订全部${ch}`,
    topicsHeading: '选择您希望接收的内容',
    save: '保存我的选择',
    resubscribe: '重新订阅',
    channelOff: (ch: string) => `您目前不会收到我们的${ch}。`,
    done: '您的选择已保存，将从我们计划的下一条消息起生效。',
    nothing: '无需更改：您的选择此前已保存。',
    tooOld: '此链接已过期，无法用于重新订阅。退订始终有效；如需重新订阅，请使用最近一条消息中的链接。',
    unknown: '我们已不再保存与此链接相关的信息，因此不会再向您发送任何消息。',
    invalidTitle: '此链接无效',
    invalid: '链接不完整或已被修改。请使用消息中原样提供的链接。',
  },
} as const;

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function layout(locale: PageLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
button{font:inherit;padding:.5rem 1rem;margin:.25rem 0;cursor:pointer}fieldset{border:1px solid #ccc;margin:1rem 0}
.note{background:#f3f6f9;padding:.75rem 1rem;border-radius:4px}</style>
</head><body><h1>${esc(title)}</h1>
${body}
</body></html>`;
}

export type PageNote = 'done' | 'nothing' | 'tooOld';

export function preferencePage(view: PreferenceView, note?: PageNote): string {
  const t = TEXT[view.locale];
  const ch = t.channel[view.channel];
  const topicLabel = view.topics.find((x) => x.id === view.topic)?.label ?? view.topic;
  const parts: string[] = [];
  if (note) parts.push(`<p class="note" role="status">${esc(t[note])}</p>`);
  if (!view.known) {
    parts.push(`<p>${esc(t.unknown)}</p>`);
    return layout(view.locale, t.title, parts.join('\n'));
  }
  parts.push(`<p>${esc(t.intro(ch, topicLabel))}</p>`);
  if (!view.channelSubscribed) parts.push(`<p>${esc(t.channelOff(ch))}</p>`);
  parts.push(`<form method="post" action="">
<button type="submit" name="action" value="topic-off">${esc(t.confirm(topicLabel))}</button><br>
<button type="submit" name="action" value="channel-off">${esc(t.all(ch))}</button>
</form>`);
  const boxes = view.topics
    .map(
      (x) =>
        `<label><input type="checkbox" name="topic" value="${esc(x.id)}"${x.subscribed ? ' checked' : ''}> ${esc(x.label)}</label><br>`,
    )
    .join('\n');
  parts.push(`<form method="post" action=""><fieldset><legend>${esc(t.topicsHeading)}</legend>
${boxes}
<input type="hidden" name="action" value="topics">
<button type="submit">${esc(t.save)}</button></fieldset></form>`);
  const topicOff = view.topics.some((x) => x.id === view.topic && !x.subscribed);
  if (view.mayResubscribe && (!view.channelSubscribed || topicOff))
    parts.push(`<form method="post" action="">
<button type="submit" name="action" value="resubscribe">${esc(t.resubscribe)}</button></form>`);
  return layout(view.locale, t.title, parts.join('\n'));
}

/** A refused link: both languages, since the link names no customer we can trust. */
export function invalidLinkPage(): string {
  const en = TEXT['en-US'];
  const zh = TEXT['zh-CN'];
  return layout(
    'en-US',
    `${en.invalidTitle} · ${zh.invalidTitle}`,
    `<p>${esc(en.invalid)}</p>\n<p lang="zh-CN">${esc(zh.invalid)}</p>`,
  );
}

/** The short answer to a one-click POST (mail clients show or ignore it). */
export function oneClickText(locale: PageLocale): string {
  return locale === 'zh-CN' ? '您已退订。' : 'You are unsubscribed.';
}
