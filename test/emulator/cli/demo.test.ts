// `npm start`, as a new user runs it: the demo month through the synthesized schedule and state
// machine. With --once: every send shown at its local time beside UTC with tier, locale and what the
// customer reads, the suppressed touches with their reasons, and no URL that dies with the process;
// what was sent stays readable from the data dir. Without --once: live pages until Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectedTally, POPULATION_CAMPAIGN } from '../../../local/cli/demo-population.js';
import { EXAMPLES } from '../../support/examples.js';
import { BIN, cli, json } from './cli.js';

/** What CloudWatch would show of a handler's log line. */
const logLine = z
  .object({ level: z.string(), message: z.string(), timestamp: z.string(), runId: z.string().optional() })
  .passthrough();
const customerPii = z.object({
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

const dataDir = mkdtempSync(join(tmpdir(), 'tp-demo-'));
afterAll(async () => {
  // `report` and `deliveries` on the demo's data dir start its background stack: stopped here.
  await cli(['stop'], { dataDir: join(dataDir, 'demo') });
  rmSync(dataDir, { recursive: true, force: true });
});
/** One `npm start -- --once` for the tests of its output (run by whichever asks first). */
let demoRun: ReturnType<typeof cli> | undefined;
const demoOnce = (): ReturnType<typeof cli> => {
  demoRun ??= cli(['demo', '--once'], { dataDir });
  return demoRun;
};

/** A row of the day's table, its columns separated by runs of spaces. */
const row = (...cells: string[]) =>
  new RegExp(`^${cells.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+')}$`, 'm');

describe('npm start -- --once', () => {
  it('shows each send and each suppression so they can be checked by eye, then exits 0', async () => {
    const result = await demoOnce();
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    const out = result.stdout;
    expect(out).toContain('16 messages sent over 2026-11-26 … 2026-12-31.');
    expect(out).toMatch(/Time from start to first delivered message: \d+ ms\./);

    // 09:00 local in each zone, whatever its offset that day; the subject or SMS text as sent.
    expect(out).toMatch(
      row(
        '2026-11-26 17:00 UTC',
        '2026-11-26 09:00 America/Los_Angeles (UTC-8)',
        'business',
        'en-US',
        'c-1002',
        'email',
        'contract-renewal/d-14',
        'Two weeks left on your plan',
      ),
    );
    expect(out).toMatch(
      row(
        '2026-11-26 01:00 UTC',
        '2026-11-26 09:00 Asia/Shanghai (UTC+8)',
        'standard',
        'zh-CN',
        'c-1003',
        'email',
        'service-recovery/d2',
        '问题解决了吗？',
      ),
    );
    expect(out).toMatch(
      row(
        '2026-11-29 20:00 UTC',
        '2026-11-30 09:00 Pacific/Auckland (UTC+13)',
        'key',
        'en-NZ',
        'c-1005',
        'sms',
        'birthday/day',
        'Touchpoint: happy birthday, Aroha Ngata! A gift…',
      ),
    );
    expect(out).not.toContain('(not found in the outbox)');

    // The suppressed touches, per day and in total, with their reasons.
    expect(out).toContain('suppressed (1), by reason:\n  holdout (1): win-back/d60 c-1002 email');
    expect(out).toContain('  no-consent (1): birthday/day c-1005 email');
    expect(out).toContain('  frequency-cap (1): win-back/d60 c-1003 email');
    expect(out).toContain('  no-address (1): contract-renewal/d-30 c-1006 sms');
    expect(out).toContain('10 touches suppressed: no-consent 6, holdout 2, frequency-cap 1, no-address 1.');

    // What came back, on the cloud's paths: a one-click unsubscribe, a STOP reply, a bounce and a
    // complaint from SES's simulator addresses; each changes what is planned after it.
    expect(out).toContain(
      'came back:\n  c-1002 pressed "Unsubscribe" on "Two weeks left on your plan" (one-click POST → 200)',
    );
    expect(out).toContain('  no-consent (1): contract-renewal/d-7 c-1002 sms');
    expect(out).toContain('  c-1005 replied STOP by SMS → opted out of SMS');
    expect(out).toContain('  no-consent (2): win-back/d60 c-1005 email, win-back/d60 c-1005 sms');
    expect(out).toContain(
      '  c-2001 bounce@simulator.amazonses.com: bounced permanently → on the suppression list (bounced)',
    );
    expect(out).toContain(
      '  c-2002 complaint@simulator.amazonses.com: complained → on the suppression list (complained), opted out of email',
    );
    expect(out).toContain(
      'What came back: delivered 14, bounced 1, complained 1; 3 opt-outs recorded; 2 addresses on the suppression list.',
    );

    // Every server stopped on exit: no URL to them, only where the data stays.
    expect(out).not.toMatch(/https?:\/\//);
    const demoDir = join(dataDir, 'demo');
    expect(out).toContain(`npx touchpoint outbox --data-dir ${demoDir}`);
    const outbox = await cli(['outbox', '--json'], { dataDir: demoDir });
    expect(outbox.code).toBe(0);
    // The 16 sends, the answer to the STOP reply and the population's emails (the results test).
    expect(z.object({ messages: z.array(z.unknown()) }).parse(json(outbox)).messages).toHaveLength(
      17 + expectedTally().treated.customers,
    );

    // The handlers' logs of the whole month: correlated by run, and no customer's address or name.
    const logFiles = readdirSync(join(demoDir, 'logs')).filter((f) => f.endsWith('.ndjson'));
    const lines = logFiles.flatMap((f) =>
      readFileSync(join(demoDir, 'logs', f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    const records = lines.map((l) => logLine.parse(JSON.parse(l)));
    expect(records.filter((r) => r.runId !== undefined).length).toBeGreaterThan(0);
    const personal = readFileSync(join(EXAMPLES, 'customers.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        const c = customerPii.parse(JSON.parse(l));
        return [c.name, c.email, c.phone].filter((v): v is string => v !== undefined);
      });
    expect(personal.length).toBeGreaterThan(12);
    for (const value of personal)
      expect(
        lines.filter((l) => l.includes(value)),
        value,
      ).toEqual([]);
    const logs = await cli(['logs', '--json'], { dataDir: demoDir });
    expect(logs.code).toBe(0);
    expect(logs.stdout.trim().split('\n').length).toBe(lines.length);
  }, 240_000);

  it('ends the month with the results: a holdout big enough for an uplift with its interval, each number recountable from the draws, the ledger and touchpoint report', async () => {
    const result = await demoOnce();
    expect(result.code).toBe(0);
    const out = result.stdout;
    const demoDir = join(dataDir, 'demo');
    // The population recomputed from its seed and ids alone (who is held out, who renews).
    const { treated, holdout } = expectedTally();
    expect(treated.customers).toBeGreaterThanOrEqual(30);
    expect(holdout.customers).toBeGreaterThanOrEqual(30);

    // Each day counts the population's touches and renewals on one line; the month ends with the
    // results table (the uplift with its interval), the demo's own recount, then the command.
    expect(out).toMatch(/^fibre-renewal \(simulated population\): \d+ emailed, \d+ held out; renewed: /m);
    const resultRow = out.split('\n').find((l) => /^fibre-renewal\s+contractRenewed/.test(l));
    expect(resultRow).toBeDefined();
    expect(resultRow).toContain(`${treated.renewed}/${treated.customers} `);
    expect(resultRow).toContain(`${holdout.renewed}/${holdout.customers} `);
    expect(resultRow).toMatch(/[+−]\d+\.\d pp \(95 % CI [+−]\d+\.\d pp to [+−]\d+\.\d pp\), p [=<] /);
    expect(out).toContain(
      `fibre-renewal, counted by the demo as it played the month: emailed ${treated.customers}, renewed ${treated.renewed}; held out ${holdout.customers}, renewed ${holdout.renewed}.`,
    );
    expect(out.trimEnd().split('\n').at(-1)).toBe(`npx touchpoint report --data-dir ${demoDir}`);

    // The same numbers from the report command, and the groups from the ledger by hand.
    const report = z
      .object({
        campaigns: z.array(
          z.object({
            campaignId: z.string(),
            funnel: z.object({
              planned: z.number(),
              sent: z.number(),
              suppressed: z.record(z.string(), z.number()),
            }),
            treated: z.object({ customers: z.number(), conversions: z.number() }),
            holdout: z.object({ customers: z.number(), conversions: z.number() }),
            uplift: z
              .object({ value: z.number(), low: z.number(), high: z.number(), pValue: z.number() })
              .nullable(),
          }),
        ),
      })
      .parse(json(await cli(['report', '--json', '--campaign', POPULATION_CAMPAIGN], { dataDir: demoDir })));
    const [fibre] = report.campaigns;
    expect(fibre).toMatchObject({
      campaignId: POPULATION_CAMPAIGN,
      funnel: {
        planned: treated.customers + holdout.customers,
        sent: treated.customers,
        suppressed: { holdout: holdout.customers },
      },
      treated: { customers: treated.customers, conversions: treated.renewed },
      holdout: { customers: holdout.customers, conversions: holdout.renewed },
    });
    expect(fibre?.uplift?.value).toBeCloseTo(
      treated.renewed / treated.customers - holdout.renewed / holdout.customers,
      12,
    );
    expect(fibre?.uplift?.low).toBeGreaterThan(0);
    const rows = z
      .object({ deliveries: z.array(z.object({ status: z.string(), reason: z.string().optional() })) })
      .parse(
        json(await cli(['deliveries', '--json', '--campaign', POPULATION_CAMPAIGN], { dataDir: demoDir })),
      ).deliveries;
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(treated.customers);
    expect(rows.filter((r) => r.reason === 'holdout')).toHaveLength(holdout.customers);
  }, 240_000);
});

describe('npm start', () => {
  it('keeps the mailbox, SMS page, API and console up until Ctrl-C, then stops them and exits', async () => {
    const liveDir = mkdtempSync(join(tmpdir(), 'tp-demo-live-'));
    const child = spawn(process.execPath, [BIN, 'demo', '--data-dir', liveDir], {
      cwd: resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    // Resolves on the line that says the demo is done and the pages are up; fails on exit or deadline.
    const ready = new Promise<void>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no "Press Ctrl-C" line in time:\n${stdout}\n${stderr}`)),
        150_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Press Ctrl-C to stop.')) {
          clearTimeout(timer);
          done();
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        fail(new Error(`exited ${code} before "Press Ctrl-C":\n${stdout}\n${stderr}`));
      });
    });
    const urlAfter = (label: string): string => {
      const at = stdout.split('\n').find((line) => line.startsWith(label));
      const url = at === undefined ? undefined : /http:\/\/127\.0\.0\.1:\d+/.exec(at)?.[0];
      if (url === undefined) throw new Error(`no ${label} URL in:\n${stdout}`);
      return url;
    };
    try {
      await ready;
      const mailbox = urlAfter('Mailbox (rendered emails):');
      const sms = urlAfter('SMS messages:');
      const api = urlAfter('API ');
      for (const url of [mailbox, sms]) expect((await fetch(`${url}/`)).status).toBe(200);
      // The console on the API's port, on a line of its own.
      expect(stdout.split('\n')).toContain(`Console ${api}/console/`);
      const page = await fetch(`${api}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const urls = [mailbox, sms, api];

      child.kill('SIGINT');
      // 130 is the shell's code for a run ended by Ctrl-C; either way it must end, and end cleanly.
      expect([0, 130]).toContain(await exited);
      expect(stderr).not.toMatch(/Error|at .+:\d+:\d+/);
      for (const url of urls) await expect(fetch(`${url}/`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        await exited;
      }
      rmSync(liveDir, { recursive: true, force: true });
    }
  }, 240_000);
});
