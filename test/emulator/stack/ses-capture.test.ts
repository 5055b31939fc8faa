// The local SES server keeps what it receives: every stored email is appended to the data dir's
// capture file, and a server started later puts those emails back into its store (the mailbox page).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_CAPTURE_FILE, type SesLocal, startSesLocal } from '../../../local/ses-local.js';
import { readOutbox } from '../../../local/stack/outbox.js';
import { SesEmailSender } from '../../../shared/channels/ses-email.js';

let dir: string;
const running: SesLocal[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tp-ses-capture-'));
});
afterAll(async () => {
  for (const ses of running) await ses.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<SesLocal> {
  const ses = await startSesLocal({ captureFile: join(dir, EMAIL_CAPTURE_FILE) });
  running.push(ses);
  return ses;
}

async function send(ses: SesLocal, to: string, subject: string): Promise<string> {
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const sender = new SesEmailSender({ client, from: 'outreach@touchpoint.local' });
    const result = await sender.send({
      to,
      subject,
      text: `Hello ${to}`,
      html: `<p>Hello ${to}</p>`,
      unsubscribeUrl: 'http://127.0.0.1:8787/unsubscribe/t',
      tags: { campaign: 'c' },
    });
    if (!result.ok) throw new Error(`send failed: ${result.error}`);
    return result.providerMessageId;
  } finally {
    client.destroy();
  }
}

describe('the local SES server with a capture file', () => {
  it('keeps every email across restarts and serves the earlier ones again', async () => {
    const first = await start();
    const a = await send(first, 'ana@example.com', 'First');
    await first.stop();

    const second = await start();
    expect((await second.listMail()).map((m) => m.messageId)).toEqual([a]);
    const b = await send(second, 'bo@example.com', 'Second');
    expect((await second.listMail()).map((m) => m.messageId)).toEqual([a, b]);
    await second.stop();

    const lines = readFileSync(join(dir, EMAIL_CAPTURE_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const outbox = readOutbox(dir);
    expect(outbox.map((m) => [m.messageId, m.to, m.subject])).toEqual([
      [a, 'ana@example.com', 'First'],
      [b, 'bo@example.com', 'Second'],
    ]);
    expect(outbox[0]).toMatchObject({
      channel: 'email',
      from: 'outreach@touchpoint.local',
      text: 'Hello ana@example.com',
      html: '<p>Hello ana@example.com</p>',
      headers: { 'List-Unsubscribe': '<http://127.0.0.1:8787/unsubscribe/t>' },
    });
  });
});
