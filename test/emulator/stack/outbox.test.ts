// Nothing sent locally is lost: a standalone `touchpoint run` keeps every email and SMS in the data
// dir, `touchpoint outbox` lists them in the contract's shape, and they survive `stop` and a new
// start (the mailbox page's store and the SMS page show them again).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runningOwner } from '../../../local/data-dir.js';
import { ensureLocalApi } from '../../../local/stack/client.js';
import { outboxMessageSchema } from '../../../local/stack/outbox.js';
import { EXAMPLES, RUN_2026_11_26 } from '../../support/examples.js';
import { cli, json } from '../cli/cli.js';

const outboxSchema = z.strictObject({ messages: z.array(outboxMessageSchema.strict()) });
const runSchema = z.object({
  touches: z.array(z.object({ customerId: z.string(), channel: z.string(), status: z.string() })),
});

let work: string;
let dataDir: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tp-outbox-'));
  dataDir = join(work, 'data');
});
afterAll(async () => {
  await cli(['stop'], { dataDir });
  rmSync(work, { recursive: true, force: true });
});

const ok = async (args: string[]): Promise<unknown> => {
  const result = await cli([...args, '--json'], { dataDir });
  if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return json(result);
};

describe('touchpoint outbox', () => {
  let listed: z.infer<typeof outboxSchema>['messages'] = [];

  it('lists the emails and SMS of a standalone run, oldest first, in the contract shape', async () => {
    expect(outboxSchema.parse(await ok(['outbox']))).toEqual({ messages: [] });
    await ok(['settings', 'apply', join(EXAMPLES, 'settings.json')]);
    for (const kind of ['customers', 'contracts', 'events'])
      await ok(['import', kind, join(EXAMPLES, `${kind}.ndjson`)]);
    for (const file of readdirSync(join(EXAMPLES, 'campaigns')).sort())
      await ok(['campaign', 'apply', join(EXAMPLES, 'campaigns', file)]);
    // The worked example's day sends emails; 2026-11-30 (in PLAN_2026_11_30) an SMS too.
    const first = runSchema.parse(await ok(['run', '--date', '2026-11-26']));
    expect(first.touches.filter((t) => t.status === 'sent').length).toBe(
      RUN_2026_11_26.filter((r) => r.status === 'sent').length,
    );
    const second = runSchema.parse(await ok(['run', '--date', '2026-11-30']));
    const sent = [...first.touches, ...second.touches].filter((t) => t.status === 'sent');
    expect(new Set(sent.map((t) => t.channel))).toEqual(new Set(['email', 'sms']));

    listed = outboxSchema.parse(await ok(['outbox'])).messages;
    const byChannel = (channel: string) => listed.filter((m) => m.channel === channel);
    expect(byChannel('email')).toHaveLength(sent.filter((t) => t.channel === 'email').length);
    expect(byChannel('sms')).toHaveLength(sent.filter((t) => t.channel === 'sms').length);
    for (const email of byChannel('email')) {
      expect(email.subject).toEqual(expect.any(String));
      expect(email.text ?? email.html).toEqual(expect.any(String));
    }
    for (const sms of byChannel('sms')) expect(sms.text).toEqual(expect.any(String));
    const times = listed.map((m) => Date.parse(m.receivedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const smsOnly = outboxSchema.parse(await ok(['outbox', '--channel', 'sms'])).messages;
    expect(smsOnly).toEqual(byChannel('sms'));
    const human = await cli(['outbox'], { dataDir });
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^receivedAt\s+channel\s+to\s+message$/);
    const bad = await cli(['outbox', '--channel', 'fax'], { dataDir });
    expect(bad.code).toBe(2);
  });

  it('keeps the messages across stop and a new start, and the pages show them again', async () => {
    expect(listed.length).toBeGreaterThan(0);
    expect((await cli(['stop'], { dataDir })).code).toBe(0);
    expect(outboxSchema.parse(await ok(['outbox'])).messages).toEqual(listed);

    await ensureLocalApi(dataDir);
    const owner = runningOwner(dataDir);
    if (!owner?.sesEndpoint || !owner.smsPageUrl) throw new Error('no stack advertised');
    // The mailbox page reads the server's /store: the earlier emails are back in it.
    const store = z
      .object({ emails: z.array(z.object({ messageId: z.string() })) })
      .parse(await (await fetch(`${owner.sesEndpoint}/store`)).json());
    expect(store.emails.map((e) => e.messageId)).toEqual(
      listed.filter((m) => m.channel === 'email').map((m) => m.messageId),
    );
    const sms = z
      .array(z.object({ messageId: z.string() }))
      .parse(await (await fetch(`${owner.smsPageUrl}messages`)).json());
    expect(sms.map((m) => m.messageId)).toEqual(
      listed.filter((m) => m.channel === 'sms').map((m) => m.messageId),
    );
    expect(outboxSchema.parse(await ok(['outbox'])).messages).toEqual(listed);
  });
});
