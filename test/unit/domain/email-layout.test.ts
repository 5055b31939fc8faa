import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeDisplayName, fromWithName } from '../../../shared/channels/ses-email.js';
import { composeEmail, footerWords, textToHtml } from '../../../shared/domain/email-layout/compose.js';
import { EMAIL_LAYOUT_HTML } from '../../../shared/domain/email-layout/layout.generated.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const URL = 'https://u.example/u/tok.abc?x=1&y=2';
const SENDER = {
  fromName: 'Acme Mobile',
  postalAddress: 'Acme Mobile Ltd\n1 Harbour Road\nSan Francisco, CA 94105',
};

describe('the email layout', () => {
  it('is the MJML source as compiled (after editing layout.mjml, run npm run build:email-layout)', () => {
    // Exits 1 when layout.generated.ts is not what MJML makes of layout.mjml.
    execFileSync(process.execPath, ['scripts/build-email-layout.mjs', '--check'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    expect(EMAIL_LAYOUT_HTML).toContain(
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
    );
    // Responsive: MJML's media query stacks the columns on a phone.
    expect(EMAIL_LAYOUT_HTML).toMatch(/@media only screen and \(min-width:\s*480px\)/);
    // No web font: opening the email requests nothing from a third party.
    expect(EMAIL_LAYOUT_HTML).not.toContain('fonts.googleapis.com');
  });

  it('gives every campaign email a text and an HTML part, each with a footer of sender, postal address and unsubscribe link', () => {
    const mail = composeEmail(
      { locale: 'en-US', subject: 'Your plan', text: 'Hi Ada,\nyour plan ends soon.' },
      { sender: SENDER, unsubscribeUrl: URL },
    );
    expect(mail.text).toBe(
      [
        'Hi Ada,',
        'your plan ends soon.',
        '',
        '-- ',
        'Acme Mobile',
        'Acme Mobile Ltd',
        '1 Harbour Road',
        'San Francisco, CA 94105',
        'You receive this email as a customer of Acme Mobile.',
        `Unsubscribe or choose what you receive: ${URL}`,
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<p>Hi Ada,<br>\nyour plan ends soon.</p>');
    expect(mail.html).toContain('1 Harbour Road<br>\nSan Francisco, CA 94105');
    expect(mail.html).toContain(
      '<a href="https://u.example/u/tok.abc?x=1&amp;y=2">Unsubscribe or choose what you receive</a>',
    );
    expect(mail.html).toContain('<html lang="en-US" dir="ltr"');
    expect(mail.html).toContain('<title>Your plan</title>');
    expect(mail.html).not.toMatch(/__TP_[A-Z_]+__/);
  });

  it('escapes what a customer or a partner wrote into a text body, and never reads it as a layout marker', () => {
    const mail = composeEmail(
      { locale: 'en-US', subject: 'Hi <b>', text: 'Hi <script>alert(1)</script> & "you" __TP_FOOTER__' },
      { unsubscribeUrl: URL },
    );
    expect(mail.html).toContain(
      'Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;you&quot; __TP_FOOTER__',
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<title>Hi &lt;b&gt;</title>');
  });

  it('keeps the template HTML part as the body when the campaign has one', () => {
    const mail = composeEmail(
      { locale: 'en-US', subject: 's', text: 'plain', html: '<h1>Rich</h1>' },
      { sender: SENDER, unsubscribeUrl: URL },
    );
    expect(mail.html).toContain('<h1>Rich</h1>');
    expect(mail.html).not.toContain('<p>plain</p>');
  });

  it('keeps a template HTML page of its own as it is, with the footer put before its body ends', () => {
    const page = '<!doctype html><html><body><h1>Own design</h1></body></html>';
    const mail = composeEmail(
      { locale: 'en-US', subject: 's', text: 'plain', html: page },
      { sender: SENDER, unsubscribeUrl: URL },
    );
    expect(mail.html.startsWith('<!doctype html><html><body><h1>Own design</h1><div class="tp-footer"')).toBe(
      true,
    );
    expect(mail.html).toContain('1 Harbour Road');
    expect(mail.html).toMatch(/Unsubscribe or choose what you receive<\/a><\/div>\n<\/body><\/html>$/);
    expect(mail.html.match(/<html/g)).toHaveLength(1);
  });

  it('does not repeat the body unsubscribe line in the text footer', () => {
    const mail = composeEmail(
      { locale: 'zh-CN', subject: 's', text: `您好\n退订：${URL}` },
      { sender: { fromName: '示例通信' }, unsubscribeUrl: URL },
    );
    expect(mail.text.split(URL)).toHaveLength(2);
    expect(mail.text).toContain('您收到这封邮件，是因为您是示例通信的客户。');
    // The HTML keeps both: the body's line, now a link, and the footer's.
    expect(mail.html).toContain(`退订：<a href="https://u.example/u/tok.abc?x=1&amp;y=2">`);
    expect(mail.html).toContain('>退订或选择您想收到的邮件</a>');
  });

  it('speaks the locale of the message in the footer', () => {
    expect(footerWords('zh-CN').unsubscribe).toBe('退订或选择您想收到的邮件');
    expect(footerWords('zh-Hans-SG').unsubscribe).toBe('退订或选择您想收到的邮件');
    expect(footerWords('zh-TW').unsubscribe).toBe('取消訂閱或選擇您想收到的郵件');
    expect(footerWords('zh-Hant-HK').unsubscribe).toBe('取消訂閱或選擇您想收到的郵件');
    expect(footerWords('en-GB').unsubscribe).toBe('Unsubscribe or choose what you receive');
  });

  it('makes links of URLs in a text body, without the punctuation that ends the sentence', () => {
    expect(textToHtml('Renew at https://acme.example/renew?a=1&b=2. Thanks')).toBe(
      '<p>Renew at <a href="https://acme.example/renew?a=1&amp;b=2">https://acme.example/renew?a=1&amp;b=2</a>. Thanks</p>',
    );
    expect(textToHtml('续约：https://acme.example/r。谢谢\n\nSecond')).toBe(
      '<p>续约：<a href="https://acme.example/r">https://acme.example/r</a>。谢谢</p>\n<p>Second</p>',
    );
  });
});

describe('the From display name (settings sender.fromName)', () => {
  it('is quoted when ASCII and RFC 2047-encoded otherwise, keeping the configured address', () => {
    expect(fromWithName('Touchpoint <hello@acme.example>', 'Acme "Mobile"')).toBe(
      '"Acme \\"Mobile\\"" <hello@acme.example>',
    );
    const encoded = fromWithName('hello@acme.example', '示例通信');
    expect(encoded).toBe(`=?UTF-8?B?${Buffer.from('示例通信').toString('base64')}?= <hello@acme.example>`);
    // Long names are split into encoded-words of at most 75 characters, never inside a character.
    const long = encodeDisplayName('示'.repeat(100));
    for (const word of long.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = long
      .split(' ')
      .map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe('示'.repeat(100));
  });
});
