// Debian's chromium driven by playwright-core (no browser download), a fresh profile per run that is
// removed after, and the checks every page gets: a screenshot and axe-core at each width.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import * as z from 'zod';
import { until } from './poll.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const WIDTHS = { wide: { width: 1280, height: 900 }, narrow: { width: 390, height: 844 } } as const;
export type Width = keyof typeof WIDTHS;
export const WIDTH_NAMES: readonly Width[] = ['wide', 'narrow'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * One persistent context on a temporary profile. Each page is its own tab: the console keeps its
 * token in sessionStorage, so two tabs are two sessions (an editor and a viewer side by side).
 */
export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (Debian), or set CHROMIUM_PATH`,
    );
  const profile = mkdtempSync(join(tmpdir(), 'tp-e2e-profile-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      locale: 'en-US',
      timezoneId: 'UTC',
      viewport: WIDTHS.wide,
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

/** Polls the locator's text until it matches, failing with the last text seen. */
export async function expectText(locator: Locator, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let last = '';
  try {
    await until(
      `text ${pattern}`,
      async () => {
        last =
          (await locator
            .first()
            .textContent({ timeout: 1000 })
            .catch(() => '')) ?? '';
        return pattern.test(last);
      },
      timeoutMs,
    );
  } catch {
    throw new Error(
      `expected ${locator} to show ${pattern}; it showed: ${JSON.stringify(last.slice(0, 500))}`,
    );
  }
  return last;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const axeResults = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.enum(['minor', 'moderate', 'serious', 'critical']).nullish(),
      help: z.string(),
      nodes: z.array(
        z.object({ target: z.array(z.unknown()), html: z.string(), failureSummary: z.string().optional() }),
      ),
    }),
  ),
});

export interface Finding {
  page: string;
  width: Width;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core on what the page shows now. The console's CSP (script-src 'self') refuses an injected
 * <script> (addScriptTag), and turning CSP off for the test would hide what the CSP breaks; so the
 * source is evaluated over the DevTools protocol, which CSP does not govern, like any page.evaluate.
 */
export async function axe(page: Page, label: string, width: Width): Promise<Finding[]> {
  if (!(await page.evaluate('typeof axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const raw: unknown = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return axeResults.parse(raw).violations.map((v) => ({
    page: label,
    width,
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => {
      // The first reason line names the figures (e.g. "insufficient color contrast of 3.2 (…)").
      const why = n.failureSummary?.split('\n')[1]?.trim();
      return `${JSON.stringify(n.target)}${why ? ` (${why})` : ''}`;
    }),
  }));
}

export const blocking = (findings: readonly Finding[]): Finding[] =>
  findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');

export const describeFindings = (findings: readonly Finding[]): string =>
  findings
    .map((f) => `${f.page} @${f.width}: [${f.impact}] ${f.id} — ${f.help} — ${f.targets.join(', ')}`)
    .join('\n');
