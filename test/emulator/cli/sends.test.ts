// The CLI's sending commands as a user runs them (a subprocess over the data dir's background
// stack): `campaign test-send` refuses a suppressed address and sends nothing, and `deliveries
// release` is a client of POST /v1/deliveries/release with the contract's exit codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cli, json } from './cli.js';

const outbox = z.object({ messages: z.array(z.object({ to: z.string(), channel: z.string() })) });
const refusal = z.object({ ok: z.literal(false), error: z.string() });

let work: string;
const dataDir = () => join(work, 'data');
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tp-cli-sends-'));
  for (const args of [
    ['settings', 'apply', 'examples/settings.json'],
    ['campaign', 'apply', 'examples/campaigns/contract-renewal.json'],
  ]) {
    const r = await cli(args, { dataDir: dataDir() });
    expect(r.code, r.stderr).toBe(0);
  }
});
afterAll(async () => {
  await cli(['stop'], { dataDir: dataDir() });
  rmSync(work, { recursive: true, force: true });
});

const testSend = (to: string, ...extra: string[]) =>
  cli(
    [
      'campaign',
      'test-send',
      'contract-renewal',
      '--step',
      'd-30',
      '--channel',
      'email',
      '--to',
      to,
      ...extra,
    ],
    { dataDir: dataDir() },
  );
const sentTo = async (address: string) => {
  const r = await cli(['outbox', '--json'], { dataDir: dataDir() });
  expect(r.code, r.stderr).toBe(0);
  return outbox.parse(json(r)).messages.filter((m) => m.to.toLowerCase() === address).length;
};

describe('touchpoint campaign test-send', () => {
  it('refuses a test send to a suppressed address (exit 1, saying why) and sends nothing', async () => {
    const added = await cli(['suppression', 'add', ' QA@Example.ORG ', '--reason', 'unsubscribed'], {
      dataDir: dataDir(),
    });
    expect(added.code, added.stderr).toBe(0);

    const asJson = await testSend('qa@example.org', '--json');
    expect(asJson.code).toBe(1);
    expect(refusal.parse(json(asJson)).error).toMatch(/suppression list.*unsubscribed/);
    const human = await testSend('QA@example.org');
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/suppressed: unsubscribed/);
    expect(await sentTo('qa@example.org')).toBe(0);

    // Taken off the list, the address gets exactly one test message.
    expect((await cli(['suppression', 'remove', 'qa@example.org'], { dataDir: dataDir() })).code).toBe(0);
    const ok = await testSend('qa@example.org', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok)).toMatchObject({ ok: true, sent: true, to: 'qa@example.org' });
    expect(await sentTo('qa@example.org')).toBe(1);
  });

  it('names what is missing: exit 2 without --step or with a bad --channel', async () => {
    const r = await cli(['campaign', 'test-send', 'contract-renewal', '--to', 'a@b.co'], {
      dataDir: dataDir(),
    });
    expect(r.code).toBe(2);
    const c = await cli(
      ['campaign', 'test-send', 'contract-renewal', '--step', 'd-30', '--channel', 'fax', '--to', 'a@b.co'],
      { dataDir: dataDir() },
    );
    expect(c.code).toBe(2);
  });
});

describe('touchpoint deliveries release', () => {
  const key = ['--campaign', 'contract-renewal', '--step', 'd-30', '--customer', 'c-9', '--channel', 'email'];
  it('exit 2 without the whole key; exit 1 with the reason when the ledger has no such touch', async () => {
    expect((await cli(['deliveries', 'release', ...key], { dataDir: dataDir() })).code).toBe(2);
    const missing = await cli(['deliveries', 'release', ...key, '--occasion', 'k-9#2026-12-26', '--json'], {
      dataDir: dataDir(),
    });
    expect(missing.code).toBe(1);
    expect(refusal.parse(json(missing)).error).toMatch(/404/);
  });
});
