// The console's CSP in a real browser: served by the local console server (the headers CloudFront
// sends too, infra/console-site.ts), an email preview in an <iframe sandbox srcdoc> renders with its
// <style> and style attributes while its scripts stay blocked, the app may add style elements and
// style attributes (Mantine does), and an inline script in the page itself does not run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withConsole } from '../../local/console-static.js';
import { type Browser, launch } from './support/browser.js';

const APP = `
const preview = document.createElement('iframe');
preview.setAttribute('sandbox', '');
preview.title = 'preview';
preview.srcdoc = '<html><head><style>p{color:rgb(255,0,0)}</style></head><body><p id="p" style="font-size:20px">Hallo</p><script>document.title="ran"</script></body></html>';
document.body.appendChild(preview);
const style = document.createElement('style');
style.textContent = '#root{color:rgb(0,0,255)}';
document.head.appendChild(style);
document.getElementById('root').setAttribute('style', 'font-size: 13px');
window.appRan = true;
`;
const INDEX = `<!doctype html><html><head><title>t</title>
<script type="module" src="/console/assets/app-1.js"></script>
<script>window.inlineRan = true;</script></head><body><div id="root">x</div></body></html>`;

/** Browser-side expressions as strings: this project's tsconfig has no DOM types. */
const style = (selector: string, property: string) =>
  `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`;

let work: string;
let browser: Browser;
let server: ReturnType<typeof createAdaptorServer>;
let base: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tp-console-csp-'));
  mkdirSync(join(work, 'assets'));
  writeFileSync(join(work, 'index.html'), INDEX);
  writeFileSync(join(work, 'assets', 'app-1.js'), APP);
  server = createAdaptorServer({
    fetch: withConsole({ dir: work }, () => new Response('no API here', { status: 404 })),
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : 0}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

describe('the console CSP in chromium', () => {
  it('renders a sandboxed srcdoc email preview with its styles, runs no inline script', async () => {
    const page = await browser.context.newPage();
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    await page.goto(`${base}/console/`);
    await page.waitForFunction('window.appRan === true', undefined, { timeout: 15_000 });
    const preview = page.frames().find((f) => f !== page.mainFrame());
    if (!preview) throw new Error('no preview frame');
    await preview.waitForSelector('#p');
    // The email's <style> and its style attribute apply inside the sandbox.
    expect(await preview.evaluate(style('#p', 'color'))).toBe('rgb(255, 0, 0)');
    expect(await preview.evaluate(style('#p', 'fontSize'))).toBe('20px');
    // The app's own style element and style attribute apply (style-src 'unsafe-inline').
    expect(await page.evaluate(style('#root', 'color'))).toBe('rgb(0, 0, 255)');
    expect(await page.evaluate(style('#root', 'fontSize'))).toBe('13px');
    // Scripts: the email's are blocked by the sandbox, the page's inline one by script-src 'self'.
    expect(await page.evaluate('window.inlineRan')).toBeUndefined();
    expect(messages.some((m) => /Content Security Policy/.test(m) && /script/i.test(m))).toBe(true);
    expect(messages.some((m) => /sandboxed/.test(m) && /allow-scripts/.test(m))).toBe(true);
    await page.close();
  });
});
