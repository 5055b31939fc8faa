// A campaign email as the customer gets it: the rendered template put into the house layout (MJML,
// compiled ahead: layout.mjml, docs/messages.md) as an HTML part, and the text part with the same
// footer: who sends it, their postal address, why the customer gets it and the unsubscribe link.
import { EMAIL_LAYOUT_HTML } from './layout.generated.js';

export interface Sender {
  fromName?: string | undefined;
  postalAddress?: string | undefined;
}

export interface EmailToCompose {
  /** The locale the template was rendered in: the footer speaks it too. */
  locale: string;
  subject: string;
  text: string;
  /** The template's own HTML (its variables escaped); absent: made from `text`. */
  html?: string | undefined;
}

export interface ComposedEmail {
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

interface FooterWords {
  because: (fromName: string | undefined) => string;
  unsubscribe: string;
}

const ENGLISH: FooterWords = {
  because: (name) =>
    name ? `You receive this email as a customer of ${name}.` : 'You receive this email as our customer.',
  unsubscribe: 'Unsubscribe or choose what you receive',
};
const SIMPLIFIED_CHINESE: FooterWords = {
  because: (name) =>
    name ? `您收到这封邮件，是因为您是${name}的客户。` : '您收到这封邮件，是因为您是我们的客户。',
  unsubscribe: '退订或选择您想收到的邮件',
};
const TRADITIONAL_CHINESE: FooterWords = {
  because: (name) =>
    name ? `您收到這封郵件，是因為您是${name}的客戶。` : '您收到這封郵件，是因為您是我們的客戶。',
  unsubscribe: '取消訂閱或選擇您想收到的郵件',
};

/** The footer's words for a locale: Chinese (simplified or traditional) or English. */
export function footerWords(locale: string): FooterWords {
  const tag = locale.toLowerCase();
  if (!/^zh(-|$)/.test(tag)) return ENGLISH;
  return /^zh-(hant|tw|hk|mo)(-|$)/.test(tag) ? TRADITIONAL_CHINESE : SIMPLIFIED_CHINESE;
}

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'yi', 'ps', 'sd', 'ug']);
const directionOf = (locale: string): 'rtl' | 'ltr' =>
  RTL_LANGUAGES.has(locale.split('-')[0]?.toLowerCase() ?? '') ? 'rtl' : 'ltr';

// A link in a text body (ASCII URL characters only, so CJK punctuation right after it stays text),
// less the punctuation that usually ends a sentence rather than the URL.
const URL_IN_TEXT = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)'\]]+$/;

function linkified(escapedLine: string): string {
  return escapedLine.replace(URL_IN_TEXT, (match) => {
    // Escaped entities (&amp; &#39;) end in ';': never cut one in half.
    const trail =
      match.endsWith(';') && /&[#a-z0-9]+;$/i.test(match)
        ? ''
        : (TRAILING_PUNCTUATION.exec(match)?.[0] ?? '');
    const url = match.slice(0, match.length - trail.length);
    return `<a href="${url}">${url}</a>${trail}`;
  });
}

/** A text body as HTML: escaped, paragraphs at blank lines, line breaks kept, links clickable. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map(
      (p) =>
        `<p>${p
          .split('\n')
          .map((line) => linkified(escapeHtml(line)))
          .join('<br>\n')}</p>`,
    )
    .join('\n');
}

const preheaderOf = (text: string): string => {
  const first = text.trim().split('\n')[0] ?? '';
  const chars = [...first];
  return chars.length > 100 ? `${chars.slice(0, 99).join('')}…` : first;
};

const addressLines = (address: string | undefined): string[] =>
  (address ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** Fills the layout's markers in one pass, so text that looks like a marker is never read as one. */
function fillLayout(values: Record<string, string>): string {
  return EMAIL_LAYOUT_HTML.replace(/__TP_([A-Z_]+?)__/g, (marker, name: string) => values[name] ?? marker);
}

/** A template HTML part that is a page of its own (`<html>`…): it keeps its design. */
const isWholeDocument = (html: string | undefined): html is string =>
  html !== undefined && /<html[\s>]/i.test(html);

/** The footer put into a page of its own, before `</body>` (or at its end): it is never left out. */
function withFooter(page: string, footer: string): string {
  const block = `<div class="tp-footer" style="font-size:12px;line-height:1.5;color:#7b8794;text-align:center;padding:16px 24px 32px">${footer}</div>`;
  const close = page.search(/<\/body\s*>/i);
  return close === -1 ? `${page}\n${block}` : `${page.slice(0, close)}${block}\n${page.slice(close)}`;
}

export function composeEmail(
  email: EmailToCompose,
  options: { sender?: Sender | undefined; unsubscribeUrl: string },
): ComposedEmail {
  const words = footerWords(email.locale);
  const fromName = options.sender?.fromName;
  const postal = addressLines(options.sender?.postalAddress);

  const htmlFooter = [
    ...(fromName ? [`<strong>${escapeHtml(fromName)}</strong>`] : []),
    ...postal.map(escapeHtml),
    escapeHtml(words.because(fromName)),
    `<a href="${escapeHtml(options.unsubscribeUrl)}">${escapeHtml(words.unsubscribe)}</a>`,
  ].join('<br>\n');
  const html = isWholeDocument(email.html)
    ? withFooter(email.html, htmlFooter)
    : fillLayout({
        LANG: escapeHtml(email.locale),
        DIR: directionOf(email.locale),
        TITLE: escapeHtml(email.subject),
        PREHEADER: escapeHtml(preheaderOf(email.text)),
        FROM_NAME: fromName ? escapeHtml(fromName) : '',
        BODY: email.html ?? textToHtml(email.text),
        FOOTER: htmlFooter,
      });

  // RFC 3676's signature separator. The body's own unsubscribe line (campaign validate asks every
  // template for one) is not repeated below it.
  const textFooter = [
    ...(fromName ? [fromName] : []),
    ...postal,
    words.because(fromName),
    ...(email.text.includes(options.unsubscribeUrl)
      ? []
      : [`${words.unsubscribe}: ${options.unsubscribeUrl}`]),
  ];
  const text = `${email.text.replace(/\s+$/, '')}\n\n-- \n${textFooter.join('\n')}\n`;
  return { text, html };
}
