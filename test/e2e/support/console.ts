// The console as a user sees it: sign in with a token, open a hash route, and capture a page (a
// screenshot and axe-core at 1280 and 390 px) once it shows what it is about.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import * as z from 'zod';
import { axe, expectText, type Finding, WIDTH_NAMES, WIDTHS } from './browser.js';
import { until } from './poll.js';

/** Where screenshots go: E2E_SCREENSHOTS, or test/e2e/screenshots/ (ignored by git). */
export const SCREENSHOTS = resolve(
  process.env.E2E_SCREENSHOTS ?? join(import.meta.dirname, '../screenshots'),
);

/** Mantine's Loader, which every page shows while it waits for the API. */
const SPINNER = '.mantine-Loader-root';

export class ConsoleSession {
  /** Every axe violation seen, of any impact; the test fails on the serious and critical ones. */
  readonly findings: Finding[] = [];
  /** Pages wider than the window (they scroll sideways). */
  readonly overflows: string[] = [];
  /** Labels of the pages captured, each at both widths. */
  readonly captured: string[] = [];

  constructor(readonly consoleUrl: string) {
    mkdirSync(SCREENSHOTS, { recursive: true });
  }

  /** Opens `#/route` (a full load, so each page starts from the router, not from a click). */
  async open(page: Page, route: string): Promise<void> {
    const url = new URL(this.consoleUrl);
    url.hash = `#${route}`;
    await page.goto(url.toString());
  }

  /** Signs in through the form with a token and waits for the shell to show the role. */
  async signIn(page: Page, token: string, role: string): Promise<void> {
    await page.goto(this.consoleUrl);
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByTestId('role'), new RegExp(`^${role}$`, 'i'));
  }

  /**
   * A screenshot and axe at both widths. `ready` is what the page shows once its data is there; the
   * page is left at the wide width.
   */
  async capture(page: Page, label: string, ready: Locator): Promise<void> {
    // The page at rest: no hover left over from the last click under the pointer.
    await page.mouse.move(0, 0);
    for (const width of WIDTH_NAMES) {
      await page.setViewportSize(WIDTHS[width]);
      await ready.first().waitFor({ state: 'visible', timeout: 20_000 });
      // At rest: whatever else the page loads has arrived (no spinner left).
      await until(
        'the page to finish loading',
        async () => (await page.locator(SPINNER).count()) === 0,
        60_000,
      );
      await page.screenshot({
        path: join(SCREENSHOTS, `${label}-${WIDTHS[width].width}.png`),
        fullPage: true,
      });
      this.findings.push(...(await axe(page, label, width)));
      // Usable at 390 px: wide tables scroll inside their own container, the page never sideways.
      const overflow = z
        .object({ scroll: z.number(), view: z.number() })
        .parse(
          await page.evaluate(
            '({ scroll: document.documentElement.scrollWidth, view: document.documentElement.clientWidth })',
          ),
        );
      if (overflow.scroll > overflow.view)
        this.overflows.push(
          `${label} @${width}: the page is ${overflow.scroll} px wide in a ${overflow.view} px window`,
        );
    }
    await page.setViewportSize(WIDTHS.wide);
    this.captured.push(label);
  }
}
