// The console in a real browser against the local stack a user starts: sign in, write a campaign with
// a mistake and fix it, preview it in two languages, read the calendar, run a day, follow a customer's
// touch to its delivery, and watch a viewer being refused by the API, not only by the UI. Every page
// is captured at 1280 and 390 px and checked with axe-core. The steps share one stack and run in order.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { EXAMPLES } from '../support/examples.js';
import { type Browser, blocking, describeFindings, expectText, launch, WIDTHS } from './support/browser.js';
import { ConsoleSession, SCREENSHOTS } from './support/console.js';
import { until } from './support/poll.js';
import { type LocalStack, loadWorkedExample, startServe, userToken } from './support/stack.js';

let work = '';
let stack: LocalStack | undefined;
let browser: Browser | undefined;
let ui: ConsoleSession;
let editorToken = '';
let viewerToken = '';
let editor: Page;

const started = Date.now();

beforeAll(async () => {
  const lap = (() => {
    let at = Date.now();
    return (what: string) => {
      console.log(`e2e: ${what} in ${((Date.now() - at) / 1000).toFixed(1)} s`);
      at = Date.now();
    };
  })();
  browser = await launch();
  editor = await browser.context.newPage();
  lap('chromium up');
  work = mkdtempSync(join(tmpdir(), 'tp-e2e-'));
  stack = await startServe(join(work, 'data'));
  lap('serve up (API, Console and token lines)');
  await loadWorkedExample(stack, [['partner', 'add', 'acme']]);
  editorToken = await userToken(stack, 'erin.editor@example.com', 'editor');
  viewerToken = await userToken(stack, 'victor.viewer@example.com', 'viewer');
  lap('worked example, a partner and two users loaded with the CLI');
  ui = new ConsoleSession(stack.consoleUrl);
  console.log(`e2e: console ${stack.consoleUrl}, screenshots in ${SCREENSHOTS}`);
});

afterAll(async () => {
  try {
    await browser?.close();
    await stack?.stop();
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
});

/** The API on /v1 with the development token: what the test checks the pages against. */
const api = (path: string) => {
  if (!stack) throw new Error('no stack');
  return fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${stack.devToken}` } });
};

/** The worked example's first day: 3 emails to send, 1 held out (examples/README.md). */
const DAY = '2026-11-26';
const calendarSchema = z.object({ days: z.array(z.object({ date: z.string(), touches: z.number() })) });
/** What the API says a calendar day holds, to compare the page with. */
async function calendarDay(date: string) {
  const r = await api(`/v1/calendar?from=${date}&days=1`);
  const day = calendarSchema.parse(await r.json()).days[0];
  if (!day || day.date !== date) throw new Error(`no calendar day ${date}`);
  return day;
}

/** The worked example's birthday campaign under a new id: it has en-US and zh-CN templates. */
const NEW_ID = 'e2e-birthday-vip';
const birthday = z.looseObject({ id: z.string(), name: z.string(), sendWindow: z.looseObject({}) });
const newCampaign = (sendWindowStart: string) => {
  const doc = birthday.parse(JSON.parse(readFileSync(join(EXAMPLES, 'campaigns', 'birthday.json'), 'utf8')));
  return {
    ...doc,
    id: NEW_ID,
    name: 'Birthday greetings (VIP)',
    sendWindow: { ...doc.sendWindow, start: sendWindowStart },
  };
};

describe('the console in a browser', () => {
  it('signs an editor in with a token from `touchpoint users token`', async () => {
    await editor.goto(ui.consoleUrl);
    await ui.capture(editor, 'sign-in', editor.getByLabel('Access token'));
    await ui.signIn(editor, editorToken, 'editor');
    await expectText(editor.getByTestId('who'), /erin\.editor@example\.com/);
  });

  it('shows a mistake in a new campaign at its field path, and applies it once fixed', async () => {
    await ui.open(editor, '/campaigns');
    await editor.getByTestId('new-campaign').click();
    const json = editor.getByTestId('editor-json');
    await json.fill(JSON.stringify(newCampaign('9am'), null, 2));
    const error = editor.locator('[data-testid="editor-error"][data-path="sendWindow.start"]');
    await expectText(error, /sendWindow\.start.*HH:mm/);
    await ui.capture(editor, 'campaign-new-error', error);

    await json.fill(JSON.stringify(newCampaign('10:00'), null, 2));
    await until('the server to accept the fixed document', async () => {
      const state = await editor.getByTestId('server-check').getAttribute('data-state');
      return state === 'valid';
    });
    expect(await editor.getByTestId('editor-error').count()).toBe(0);
    await editor.getByTestId('apply').click();
    await expectText(editor.getByRole('heading', { level: 2 }), new RegExp(NEW_ID));

    await ui.open(editor, '/campaigns');
    await expectText(editor.getByTestId(`campaign-row-${NEW_ID}`), /Birthday greetings \(VIP\)/);
    await ui.capture(editor, 'campaigns', editor.getByTestId(`campaign-row-${NEW_ID}`));
    expect((await api(`/v1/campaigns/${NEW_ID}`)).status).toBe(200);
  });

  it('previews the email in zh-CN and en-US (subjects differ, the HTML in a sandboxed frame) and the SMS', async () => {
    await ui.open(editor, `/campaigns/${NEW_ID}`);
    await editor.getByTestId('tab-preview').click();
    const subject = editor.getByTestId('preview-subject');
    await editor.getByTestId('preview-locale').selectOption('zh-CN');
    const zh = await expectText(subject, /生日快乐/);
    await ui.capture(editor, 'campaign-preview', subject);
    await editor.getByTestId('preview-locale').selectOption('en-US');
    const en = await expectText(subject, /Happy birthday/);
    expect(en).not.toBe(zh);
    const frame = editor.getByTestId('preview-frame');
    expect(await frame.getAttribute('srcdoc')).toMatch(/Happy birthday/);
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('title')).toBeTruthy();

    await editor.getByTestId('preview-channel').selectOption('sms');
    await editor.getByTestId('preview-locale').selectOption('zh-CN');
    const segments = editor.getByTestId('sms-segments');
    await expectText(segments, /UCS-2/);
    expect(Number(await segments.getAttribute('data-segments'))).toBeGreaterThanOrEqual(1);
  });

  it("opens the calendar from the worked example's first day and sees the days with touches", async () => {
    await ui.open(editor, '/calendar');
    await editor.getByTestId('calendar-from').fill(DAY);
    await expectText(editor.getByTestId('calendar-totals'), /over 30 days/, 120_000);
    const planned = await calendarDay(DAY);
    expect(planned.touches).toBeGreaterThan(0);
    await editor.getByTestId('calendar-from').blur();
    const cell = editor.getByTestId(`calendar-day-${DAY}`);
    await expectText(cell, new RegExp(`${planned.touches} to send`));
    await ui.capture(editor, 'calendar', cell);
  });

  it('runs that day from its page and polls until it is done', async () => {
    await editor.getByTestId(`calendar-day-${DAY}`).click();
    await expectText(editor.getByTestId('day-touches'), /c-1002/);
    await ui.capture(editor, 'calendar-day', editor.getByTestId('day-groups'));
    await editor.getByTestId('run-day').click();
    await editor.getByTestId('run-day-confirm').click();
    const status = editor.getByTestId('run-status');
    await until(
      'the run to end',
      async () => !/^(starting|running)$/.test((await status.getAttribute('data-status')) ?? 'starting'),
      180_000,
      250,
    );
    expect(await status.getAttribute('data-status')).toBe('succeeded');
    await expectText(status, /finished: 3 sent, 1 suppressed, 0 failed/);
  });
  it('finds a customer by email and sees the touch just sent and its delivery timeline', async () => {
    await ui.open(editor, '/customers');
    await editor.getByTestId('customer-search').fill('maria.garcia@example.com');
    await editor.getByTestId('customer-search-submit').click();
    const hit = editor.getByTestId('customer-result-c-1002');
    await ui.capture(editor, 'customers', hit);
    await hit.click();
    await expectText(editor.getByTestId('customer-profile'), /Maria Garcia/);
    const touch = editor.getByTestId('touch-contract-renewal-d-14');
    expect(await touch.getAttribute('data-status')).toBe('sent');
    // The local SES server reports the delivery through the bus, as SES does; the page shows it on reload.
    await until(
      'the delivery to reach the timeline',
      async () => {
        if ((await touch.getAttribute('data-delivery', { timeout: 2000 }).catch(() => null)) === 'delivered')
          return true;
        await editor.reload();
        return false;
      },
      60_000,
      500,
    );
    const timeline = touch.getByTestId('delivery-timeline');
    for (const state of ['sent', 'delivered'])
      await timeline.locator(`[data-state="${state}"]`).first().waitFor({ state: 'visible' });
    await ui.capture(editor, 'customer', touch);
  });

  it('hides apply from a viewer, and the API refuses the viewer with a 403 problem', async () => {
    if (!browser) throw new Error('no browser');
    const viewer = await browser.context.newPage();
    await ui.signIn(viewer, viewerToken, 'viewer');
    await ui.open(viewer, `/campaigns/${NEW_ID}`);
    await viewer.getByTestId('editor-json').waitFor({ state: 'visible' });
    expect(await viewer.getByTestId('apply').count()).toBe(0);
    await ui.capture(viewer, 'campaign-viewer', viewer.getByTestId('editor-json'));

    const attempt = { ...newCampaign('10:00'), id: 'e2e-viewer-attempt' };
    const answer = await viewer.evaluate(
      async ({ token, doc }) => {
        const r = await fetch('/console/v1/campaigns', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(doc),
        });
        return { status: r.status, contentType: r.headers.get('content-type'), body: await r.text() };
      },
      { token: viewerToken, doc: attempt },
    );
    expect(answer.status).toBe(403);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    const problem = z
      .object({ type: z.string(), status: z.literal(403), detail: z.string() })
      .parse(JSON.parse(answer.body));
    expect(problem.detail).toMatch(/viewer/);
    expect(problem.detail).toMatch(/editor/);
    expect((await api('/v1/campaigns/e2e-viewer-attempt')).status).toBe(404);
    await viewer.close();
  });

  it('shows the results of the run', async () => {
    await ui.open(editor, '/results');
    const row = editor.getByTestId('results-campaign-contract-renewal');
    await ui.capture(editor, 'results', row);
    await row.click();
    await editor.getByTestId('funnel').waitFor({ state: 'visible' });
    await expectText(editor.getByTestId('funnel-sent').locator('td').nth(1), /^2$/);
    await ui.capture(editor, 'results-campaign', editor.getByTestId('funnel'));
  });

  it('signs an admin in with the development token: partners, and the audit log with the apply and the refusal', async () => {
    if (!browser || !stack) throw new Error('no browser');
    const admin = await browser.context.newPage();
    await ui.signIn(admin, stack.devToken, 'admin');
    await ui.open(admin, '/partners');
    await admin.getByTestId('partner-row-acme').waitFor({ state: 'visible' });
    expect(await admin.getByTestId('rotate-acme').count()).toBe(1);
    await ui.capture(admin, 'partners', admin.getByTestId('partner-row-acme'));

    await ui.open(admin, '/audit');
    const rows = admin.getByTestId('audit-row');
    const applied = rows.filter({ hasText: 'erin.editor@example.com' }).filter({ hasText: '/campaigns' });
    await expectText(applied, /POST \S*\/campaigns/);
    expect(await applied.first().getAttribute('data-outcome')).toBe('ok');
    const denied = rows.filter({ hasText: 'victor.viewer@example.com' });
    await expectText(denied, /POST \S*\/campaigns/);
    expect(await denied.first().getAttribute('data-outcome')).toBe('denied');
    await ui.capture(admin, 'audit', rows);
    await admin.close();
  });

  it('switches the UI to 中文', async () => {
    await ui.open(editor, '/campaigns');
    await editor.getByLabel('Language').selectOption('zh-CN');
    await expectText(editor.getByRole('heading', { level: 2 }), /[\u4e00-\u9fff]/);
    await expectText(editor.locator('html'), /营销活动/);
    expect(await editor.locator('html').getAttribute('lang')).toBe('zh-CN');
    await ui.capture(editor, 'campaigns-zh', editor.getByTestId(`campaign-row-${NEW_ID}`));
    await editor.getByLabel('语言').selectOption('en');
    await expectText(editor.getByRole('heading', { level: 2 }), /^[^\u4e00-\u9fff]+$/);
  });

  it('is usable at 390 px: the navigation opens from the burger, and no page scrolls sideways', async () => {
    await editor.setViewportSize(WIDTHS.narrow);
    await ui.open(editor, '/campaigns');
    await editor.getByRole('button', { name: 'Toggle navigation' }).click();
    await editor.getByRole('link', { name: 'Customers' }).click();
    await expectText(editor.getByRole('heading', { level: 2 }), /Customers/);
    await editor.setViewportSize(WIDTHS.wide);
    expect(ui.overflows).toEqual([]);
  });

  it('axe finds no serious or critical violation on any page at 1280 or 390 px', () => {
    const found = blocking(ui.findings);
    const others = ui.findings.filter((f) => !found.includes(f));
    writeFileSync(join(SCREENSHOTS, 'axe.json'), `${JSON.stringify(ui.findings, null, 2)}\n`);
    if (others.length > 0) console.log(`axe, moderate and minor:\n${describeFindings(others)}`);
    expect(ui.captured.length).toBeGreaterThan(0);
    expect(found, describeFindings(found)).toEqual([]);
  });
});
