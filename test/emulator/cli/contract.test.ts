// The CLI contract (README "The CLI"): exit codes, --json shapes, all-or-nothing
// imports, refused campaigns, and the worked example through `run`. Each command starts and
// stops its own DynamoDB Local on the data dir, as a user's would.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXAMPLES, PLAN_2026_11_30, RUN_2026_11_26, rowsOf } from '../../support/examples.js';
import { cli, json } from './cli.js';

const touchRow = z.object({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel: z.enum(['email', 'sms']),
  occasion: z.string(),
  tier: z.string(),
  locale: z.string(),
  sendAt: z.string(),
  status: z.string(),
  reason: z.string().optional(),
});
const planOutput = z.object({
  date: z.string(),
  touches: z.array(touchRow),
  summary: z.object({
    planned: z.number(),
    suppressed: z.number(),
    byReason: z.record(z.string(), z.number()),
  }),
});
const refusal = z.object({
  ok: z.literal(false),
  errors: z.array(z.object({ line: z.number().optional(), path: z.string(), message: z.string() })),
});

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-cli-'));
});
afterAll(async () => {
  // Commands leave the data dir's background stack warm: stop every one this file started.
  for (const d of readdirSync(work, { withFileTypes: true }))
    if (d.isDirectory()) await cli(['stop'], { dataDir: join(work, d.name) });
  rmSync(work, { recursive: true, force: true });
});

describe('touchpoint CLI', () => {
  const dataDir = () => join(work, 'data');

  it('refuses an import with bad lines: exit 1, every bad line listed, nothing stored', async () => {
    const file = join(work, 'bad-customers.ndjson');
    writeFileSync(
      file,
      [
        '{"id":"ok-1","name":"Ok","email":"ok@example.com","locale":"en-US","timeZone":"UTC","birthday":"01-15","monthlyValue":10,"consent":{"email":true,"sms":false}}',
        '{"id":"bad-1","name":"Bad phone","phone":"+1555","locale":"en-US","timeZone":"UTC","monthlyValue":10,"consent":{"email":true,"sms":true}}',
        '{"id":"bad-2","name":"Bad zone","locale":"en-US","timeZone":"Mars/Base","monthlyValue":10,"consent":{"email":true,"sms":true}}',
        'not json',
        '{"id":"bad-3","name":"Negative","locale":"en-US","timeZone":"UTC","monthlyValue":-1,"consent":{"email":true,"sms":true}}',
      ].join('\n'),
    );
    const result = await cli(['import', 'customers', file, '--json'], { dataDir: dataDir() });
    expect(result.code).toBe(1);
    const { errors } = refusal.parse(json(result));
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [2, 'phone'],
      [3, 'timeZone'],
      [4, ''],
      [5, 'monthlyValue'],
    ]);

    // ok-1 would be due on 2027-01-15 if it had been stored.
    const campaign = join(EXAMPLES, 'campaigns', 'birthday.json');
    expect((await cli(['campaign', 'apply', campaign], { dataDir: dataDir() })).code).toBe(0);
    const plan = planOutput.parse(
      json(await cli(['plan', '--date', '2027-01-15', '--json'], { dataDir: dataDir() })),
    );
    expect(plan.touches).toEqual([]);
  });

  it('refuses an invalid campaign with zod paths and stores nothing', async () => {
    const file = join(work, 'bad-campaign.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'broken',
        name: 'Broken',
        priority: 1,
        anchor: { type: 'contractEnd' },
        steps: [{ id: 's1', offsetDays: 'soon', channels: { key: ['email'] }, template: 't' }],
        sendWindow: { start: '09:00', end: '20:00' },
        fallbackLocale: 'en-US',
        templates: {},
      }),
    );
    const validate = await cli(['campaign', 'validate', file, '--json'], { dataDir: dataDir() });
    expect(validate.code).toBe(1);
    expect(refusal.parse(json(validate)).errors.map((e) => e.path)).toContain('steps.0.offsetDays');
    const apply = await cli(['campaign', 'apply', file], { dataDir: dataDir() });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('steps.0.offsetDays');
    const list = z
      .object({ campaigns: z.array(z.object({ id: z.string() })) })
      .parse(json(await cli(['campaign', 'list', '--json'], { dataDir: dataDir() })));
    expect(list.campaigns.map((c) => c.id)).toEqual(['birthday']);
  });

  it('answers usage errors with exit 2', async () => {
    for (const args of [
      ['frobnicate'],
      ['plan'],
      ['plan', '--date', '2026-02-30'],
      ['import', 'widgets', 'x.ndjson'],
      ['run', '--bogus'],
    ]) {
      const result = await cli(args, { dataDir: dataDir() });
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
  });

  it('runs the worked example: run --json matches the table, a rerun sends nothing', async () => {
    const dir = join(work, 'example');
    const ok = async (args: string[]) => {
      const r = await cli(args, { dataDir: dir });
      expect({ args, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({
        args,
        code: 0,
        stderr: '',
      });
      return r;
    };
    await ok(['settings', 'apply', join(EXAMPLES, 'settings.json')]);
    for (const kind of ['customers', 'contracts', 'events'])
      await ok(['import', kind, join(EXAMPLES, `${kind}.ndjson`)]);
    for (const f of readdirSync(join(EXAMPLES, 'campaigns')))
      await ok(['campaign', 'apply', join(EXAMPLES, 'campaigns', f)]);

    const run = planOutput.extend({
      summary: z.object({ sent: z.number(), suppressed: z.number(), failed: z.number() }),
    });
    const first = run.parse(json(await ok(['run', '--date', '2026-11-26', '--json'])));
    expect(rowsOf(first.touches)).toEqual(RUN_2026_11_26);
    expect(first.summary).toMatchObject({ sent: 3, suppressed: 1, failed: 0 });

    const again = run.parse(json(await ok(['run', '--date', '2026-11-26', '--json'])));
    expect(again.summary.sent).toBe(0);

    const plan = planOutput.parse(json(await ok(['plan', '--date', '2026-11-30', '--json'])));
    expect(rowsOf(plan.touches)).toEqual(PLAN_2026_11_30);

    const ledger = z
      .object({
        deliveries: z.array(z.object({ campaignId: z.string(), customerId: z.string(), status: z.string() })),
      })
      .parse(json(await ok(['deliveries', '--campaign', 'contract-renewal', '--json'])));
    expect(ledger.deliveries.map((d) => `${d.customerId}:${d.status}`).sort()).toEqual([
      'c-1002:sent',
      'c-1003:sent',
    ]);
  }, 400_000); // 14 commands, each starting its own JVM, as a user's would
});
