// `--api URL --token T`: the CLI against `touchpoint serve` over HTTP instead of the embedded store.
// The same data answered through the API and embedded (a second CLI attached to the serve process's
// store) must print the same JSON; refusals keep the embedded exit codes and line-numbered reasons.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  freePort,
  isGroupAlive,
  type SpawnedGroup,
  spawnGroup,
  stopGroup,
} from '../../../local/process-group.js';
import { EXAMPLES, RUN_2026_11_26, rowsOf } from '../../support/examples.js';
import { BIN, cli, json } from './cli.js';

let work: string;
let serveDir: string;
let serve: SpawnedGroup | undefined;
let apiUrl = '';
let token = '';

/** The remote CLI runs on its own empty data dir: everything it sees comes over HTTP. */
const remote = (args: string[]) =>
  cli([...args, '--api', apiUrl, '--token', token], { dataDir: join(work, 'remote') });
const embedded = (args: string[]) => cli(args, { dataDir: serveDir });

const refusal = z.object({
  ok: z.literal(false),
  error: z.string(),
  errors: z.array(z.object({ line: z.number().optional(), path: z.string(), message: z.string() })),
});
const byKey = (a: { campaignId: string; stepId: string; customerId: string }, b: typeof a) =>
  `${a.campaignId}/${a.stepId}/${a.customerId}`.localeCompare(`${b.campaignId}/${b.stepId}/${b.customerId}`);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tp-remote-'));
  serveDir = join(work, 'serve');
  const group = spawnGroup(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', serveDir], {
    env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined, TOUCHPOINT_OPS_TOKEN: undefined },
  });
  serve = group;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const m = /^API (http:\/\/127\.0\.0\.1:\d+)$/m.exec(group.output());
    if (m?.[1]) {
      apiUrl = m[1];
      break;
    }
    if (group.child.exitCode !== null) throw new Error(`serve exited early:\n${group.output()}`);
    if (Date.now() > deadline) throw new Error(`no API line from serve:\n${group.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // serve keeps its development token in the data dir (and prints it).
  token = readFileSync(join(serveDir, 'ops-token'), 'utf8').trim();
}, 120_000);

afterAll(async () => {
  if (serve && isGroupAlive(serve.pid)) await stopGroup(serve.pid);
  await cli(['stop'], { dataDir: join(work, 'remote') });
  rmSync(work, { recursive: true, force: true });
});

describe('touchpoint --api', () => {
  it('refuses a bad import with every bad line and stores nothing', async () => {
    const file = join(work, 'bad-customers.ndjson');
    writeFileSync(
      file,
      [
        '{"id":"ok-1","name":"Ok","email":"ok@example.com","locale":"en-US","timeZone":"UTC","birthday":"01-15","monthlyValue":10,"consent":{"email":true,"sms":false}}',
        '{"id":"bad-1","name":"Bad phone","phone":"+1555","locale":"en-US","timeZone":"UTC","monthlyValue":10,"consent":{"email":true,"sms":true}}',
        '{"id":"bad-2","name":"Bad zone","locale":"en-US","timeZone":"Mars/Base","monthlyValue":10,"consent":{"email":true,"sms":true}}',
        '',
        '{"id":"bad-3","name":"Negative","locale":"en-US","timeZone":"UTC","monthlyValue":-1,"consent":{"email":true,"sms":true}}',
      ].join('\n'),
    );
    // A line that is not JSON is reported on its file line too (blank lines are not sent).
    const notJson = join(work, 'not-json.ndjson');
    writeFileSync(notJson, ['', '{"id":"x"', '', 'not json'].join('\n'));
    // CSV goes as JSON documents; a bad record keeps its CSV line.
    const csv = join(work, 'customers.csv');
    writeFileSync(
      csv,
      'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms\ncsv-1,A,en-US,UTC,10,true,false\n\ncsv-2,B,en-US,UTC,-1,true,false\n',
    );
    const [result, notJsonResult, csvResult] = await Promise.all([
      remote(['import', 'customers', file, '--json']),
      remote(['import', 'customers', notJson, '--json']),
      remote(['import', 'customers', csv]),
    ]);
    expect(result.code).toBe(1);
    expect(refusal.parse(json(result)).errors.map((e) => [e.line, e.path])).toEqual([
      [2, 'phone'],
      [3, 'timeZone'],
      [5, 'monthlyValue'],
    ]);
    expect(refusal.parse(json(notJsonResult)).errors).toEqual([
      { line: 2, path: '', message: expect.stringMatching(/^invalid JSON: /) },
      { line: 4, path: '', message: expect.stringMatching(/^invalid JSON: /) },
    ]);
    expect(csvResult.code).toBe(1);
    expect(csvResult.stderr).toContain('line 4: monthlyValue:');
    expect(csvResult.stderr).not.toContain('line 2');
    const okOne = await fetch(`${apiUrl}/v1/customers/ok-1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(okOne.status).toBe(404);
  });

  it('refuses an import file that is not UTF-8 (NDJSON and CSV) with exit 1 naming the line, and stores nothing, instead of storing U+FFFD', async () => {
    const latin1 = (before: string, after: string) =>
      Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]);
    const ndjson = join(work, 'latin1.ndjson');
    writeFileSync(
      ndjson,
      latin1(
        '{"id":"enc-1","name":"Ok","locale":"en-US","timeZone":"UTC","monthlyValue":1,"consent":{"email":true,"sms":false}}\n{"id":"enc-2","name":"Ren',
        '","locale":"en-US","timeZone":"UTC","monthlyValue":1,"consent":{"email":true,"sms":false}}\n',
      ),
    );
    const csv = join(work, 'latin1.csv');
    writeFileSync(
      csv,
      latin1(
        'id,name,locale,timeZone,monthlyValue,consent.email,consent.sms\nenc-3,Ren',
        ',en-US,UTC,1,true,false\n',
      ),
    );
    const [fromNdjson, fromCsv] = await Promise.all([
      remote(['import', 'customers', ndjson, '--json']),
      remote(['import', 'customers', csv, '--json']),
    ]);
    expect([fromNdjson.code, fromCsv.code]).toEqual([1, 1]);
    expect(refusal.parse(json(fromNdjson)).errors).toEqual([
      { line: 2, path: '', message: expect.stringContaining('not UTF-8') },
    ]);
    expect(refusal.parse(json(fromCsv)).errors).toEqual([
      { line: 2, path: '', message: expect.stringContaining('not UTF-8') },
    ]);
    for (const id of ['enc-1', 'enc-2', 'enc-3']) {
      const res = await fetch(`${apiUrl}/v1/customers/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, id).toBe(404);
    }
  });

  it('loads the worked example, then plan, run and deliveries print what embedded prints', async () => {
    expect((await remote(['settings', 'apply', join(EXAMPLES, 'settings.json')])).code).toBe(0);
    for (const kind of ['customers', 'contracts', 'events']) {
      const imported = await remote(['import', kind, join(EXAMPLES, `${kind}.ndjson`), '--json']);
      expect(json(imported)).toMatchObject({ ok: true, kind });
    }
    const ids = ['after-sale-care', 'birthday', 'contract-renewal', 'service-recovery', 'win-back'];
    const applied = await Promise.all(
      ids.map((id) => remote(['campaign', 'apply', join(EXAMPLES, 'campaigns', `${id}.json`), '--json'])),
    );
    expect(applied.map(json)).toEqual(ids.map((id) => ({ ok: true, id, version: 1, paused: false })));
    // Applying an existing campaign stores a new version (POST answers 409, then PUT).
    const again = await remote(['campaign', 'apply', join(EXAMPLES, 'campaigns', 'birthday.json'), '--json']);
    expect(json(again)).toEqual({ ok: true, id: 'birthday', version: 2, paused: false });
    const [listed, listedHere, plan, planHere] = await Promise.all([
      remote(['campaign', 'list', '--json']),
      embedded(['campaign', 'list', '--json']),
      remote(['plan', '--date', '2026-11-26', '--json']),
      embedded(['plan', '--date', '2026-11-26', '--json']),
    ]);
    expect(json(listed)).toEqual(json(listedHere));
    expect(plan.code).toBe(0);
    expect(json(plan)).toEqual(json(planHere));
    expect(z.object({ touches: z.array(z.unknown()) }).parse(json(plan)).touches).toHaveLength(4);

    const run = await remote(['run', '--date', '2026-11-26', '--json']);
    expect(run.code).toBe(0);
    const report = z
      .object({
        runId: z.string(),
        touches: z.array(
          z.object({
            campaignId: z.string(),
            stepId: z.string(),
            customerId: z.string(),
            channel: z.string(),
            status: z.string(),
            reason: z.string().optional(),
            sendAt: z.string(),
          }),
        ),
        summary: z.object({
          planned: z.number(),
          sent: z.number(),
          suppressed: z.number(),
          failed: z.number(),
        }),
      })
      .parse(json(run));
    expect(rowsOf(report.touches).sort(byKey)).toEqual([...RUN_2026_11_26].sort(byKey));
    expect(report.summary).toMatchObject({ planned: 3, sent: 3, suppressed: 1, failed: 0 });

    const [deliveries, deliveriesHere] = await Promise.all([
      remote(['deliveries', '--json']),
      embedded(['deliveries', '--json']),
    ]);
    expect(json(deliveries)).toMatchObject({ count: 4 });
    expect(json(deliveries)).toEqual(json(deliveriesHere));

    // customer show: the contract's shape, the same through --api and on the data dir.
    const [shown, shownHere, missing] = await Promise.all([
      remote(['customer', 'show', 'c-1002', '--json']),
      embedded(['customer', 'show', 'c-1002', '--json']),
      remote(['customer', 'show', 'nobody']),
    ]);
    expect(json(shown)).toEqual(json(shownHere));
    expect(
      z
        .object({
          customer: z.object({ id: z.literal('c-1002') }),
          tier: z.literal('business'),
          contracts: z.array(z.unknown()).length(1),
          events: z.array(z.unknown()),
          consent: z.object({
            email: z.boolean(),
            sms: z.boolean(),
            topics: z.record(z.string(), z.boolean()),
          }),
          consentHistory: z.array(z.unknown()),
          touches: z.array(z.object({ campaignId: z.string(), status: z.string() })),
        })
        .parse(json(shown))
        .touches.map((t) => `${t.campaignId}:${t.status}`)
        .sort(),
    ).toEqual(['contract-renewal:sent', 'win-back:suppressed']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no customer with id nobody');
  });

  it('adds, rotates and lists partners, and keeps the suppression list, through the API', async () => {
    const added = await remote(['partner', 'add', 'acme', '--json']);
    const secret = z
      .object({ ok: z.literal(true), id: z.literal('acme'), secret: z.string() })
      .parse(json(added));
    expect(secret.secret).toMatch(/^whsec_/);
    expect((await remote(['partner', 'add', 'acme'])).code).toBe(1);
    const rotated = z
      .object({ secret: z.string(), previousValidUntil: z.string() })
      .parse(json(await remote(['partner', 'rotate', 'acme', '--json'])));
    expect(rotated.secret).not.toBe(secret.secret);
    expect((await remote(['partner', 'rotate', 'nobody'])).code).toBe(1);
    // Listed here and by a CLI on the serve process's own data dir alike, never with a secret.
    const [listed, listedHere] = await Promise.all([
      remote(['partner', 'list', '--json']),
      embedded(['partner', 'list', '--json']),
    ]);
    expect(json(listed)).toEqual(json(listedHere));
    expect(json(listed)).toMatchObject({ count: 1, partners: [{ id: 'acme', validSecrets: 2 }] });
    expect(listed.stdout).not.toContain('whsec_');

    const suppressed = await remote([
      'suppression',
      'add',
      ' Someone@Example.COM ',
      '--reason',
      'bounced',
      '--json',
    ]);
    expect(json(suppressed)).toEqual({ ok: true, address: 'someone@example.com', reason: 'bounced' });
    const invalid = await remote(['suppression', 'add', 'nope', '--reason', 'bounced']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('address:');
    expect(json(await embedded(['suppression', 'list', '--json']))).toMatchObject({
      count: 1,
      suppressions: [{ address: 'someone@example.com', reason: 'bounced', source: 'manual' }],
    });
    expect(json(await remote(['suppression', 'remove', 'someone@example.com', '--json']))).toEqual({
      ok: true,
      address: 'someone@example.com',
      removed: true,
    });
  });

  it('cuts a leaked partner secret off: partner rotate --now, partner revoke', async () => {
    const leaked = z
      .object({ secret: z.string() })
      .parse(json(await remote(['partner', 'add', 'initech', '--json'])));
    const now = await remote(['partner', 'rotate', 'initech', '--now', '--json']);
    const rotated = z
      .object({
        ok: z.literal(true),
        secret: z.string(),
        createdAt: z.string(),
        previousValidUntil: z.string(),
      })
      .parse(json(now));
    expect(rotated.secret).not.toBe(leaked.secret);
    expect(rotated.previousValidUntil).toBe(rotated.createdAt);
    const listed = () => remote(['partner', 'list', '--json']);
    expect(json(await listed())).toMatchObject({
      partners: expect.arrayContaining([
        { id: 'initech', createdAt: expect.any(String), secretCreatedAt: rotated.createdAt, validSecrets: 1 },
      ]),
    });
    const revoked = await remote(['partner', 'revoke', 'initech']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('partner rotate initech');
    expect(revoked.stdout).not.toContain('whsec_');
    expect(json(await listed())).toMatchObject({
      partners: expect.arrayContaining([expect.objectContaining({ id: 'initech', validSecrets: 0 })]),
    });
    expect((await remote(['partner', 'revoke', 'nobody'])).code).toBe(1);
  });

  it('keeps the exit codes: unknown campaign 1, API down 1, body too large 1, no route 2', async () => {
    // serve accepts 256 KiB a request; ~300 KB of valid customers is refused whole.
    const big = join(work, 'big.ndjson');
    const line = (i: number) =>
      JSON.stringify({
        id: `big-${i}`,
        name: `Customer ${i} with a name long enough to fill the file`,
        email: `big${i}@example.com`,
        locale: 'en-US',
        timeZone: 'UTC',
        monthlyValue: 10,
        consent: { email: true, sms: false },
      });
    writeFileSync(big, Array.from({ length: 1500 }, (_, i) => line(i)).join('\n'));
    const closed = await freePort();
    const plan = ['plan', '--date', '2026-11-26'];
    const [paused, wrongToken, down, tooLarge, partner, storedToken] = await Promise.all([
      remote(['campaign', 'pause', 'no-such-campaign']),
      cli([...plan, '--api', apiUrl, '--token', 'nope'], { dataDir: join(work, 'remote') }),
      cli([...plan, '--api', `http://127.0.0.1:${closed}`, '--token', 't'], {
        dataDir: join(work, 'remote'),
      }),
      remote(['import', 'customers', big]),
      remote(['serve']),
      // No --token: a loopback API's token is read from the data dir serve keeps it in.
      cli([...plan, '--api', apiUrl, '--json'], { dataDir: serveDir }),
    ]);
    expect(paused.code).toBe(1);
    expect(paused.stderr).toContain('no campaign with id no-such-campaign');
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain('the API refused the credentials (403');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the API');
    // Over the body limit, the CLI switches to the presigned upload and the import completes.
    expect({ code: tooLarge.code, stderr: tooLarge.code === 0 ? '' : tooLarge.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(tooLarge.stdout).toContain('imported 1500 customers');
    const bigOne = await fetch(`${apiUrl}/v1/customers/big-0`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bigOne.status).toBe(200);
    // serve starts a stack of its own: it has no meaning against an API.
    expect(partner.code).toBe(2);
    expect(partner.stderr).toContain('not available with --api');
    expect(storedToken.code).toBe(0);
  });
});
