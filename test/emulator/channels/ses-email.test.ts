import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../../../local/process-group.js';
import { type SesLocal, startSesLocal } from '../../../local/ses-local.js';
import { SesEmailSender } from '../../../shared/channels/ses-email.js';
import { sesMaxSendRate, TokenBucket, throttled } from '../../../shared/channels/throttle.js';
import type { OutgoingEmail } from '../../../shared/ports/channels.js';

let ses: SesLocal;
let client: SESv2Client;

beforeAll(async () => {
  ses = await startSesLocal({ maxSendRate: 7 });
  client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await ses?.stop();
});

beforeEach(async () => {
  await ses.clearMail();
});

const email: OutgoingEmail = {
  to: 'ana@example.com',
  subject: 'Tu contrato vence pronto',
  text: 'Renueva hoy, Ana.',
  html: '<p>Renueva hoy, <b>Ana</b>.</p>',
  unsubscribeUrl: 'http://127.0.0.1:3000/unsubscribe/tok-1',
  tags: { campaign: 'renewal', customer: 'c.1' },
};

describe('SesEmailSender against aws-ses-v2-local', () => {
  it('delivers the mail to the local store with subject, bodies, recipient and unsubscribe headers', async () => {
    const sender = new SesEmailSender({
      client,
      from: 'Touchpoint <hello@example.com>',
      configurationSetName: 'touchpoint-local',
    });
    const result = await sender.send(email);
    if (!result.ok) throw new Error(`send failed: ${result.error}`);

    const mail = await ses.listMail();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      messageId: result.providerMessageId,
      from: 'Touchpoint <hello@example.com>',
      destination: { to: ['ana@example.com'] },
      subject: 'Tu contrato vence pronto',
      body: { text: 'Renueva hoy, Ana.', html: '<p>Renueva hoy, <b>Ana</b>.</p>' },
      headers: [
        { name: 'List-Unsubscribe', value: '<http://127.0.0.1:3000/unsubscribe/tok-1>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
    });
  });

  it('reports a refused send as a permanent failure', async () => {
    // The local server refuses a send without a subject; the adapter must not throw or retry it.
    const sender = new SesEmailSender({ client, from: 'hello@example.com' });
    const result = await sender.send({ ...email, subject: '' });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(await ses.listMail()).toEqual([]);
  });

  it('reads the send rate from GetAccount and sends every message through the bucket', async () => {
    const rate = await sesMaxSendRate(client);
    expect(rate).toBe(7);
    const sender = throttled(
      new SesEmailSender({ client, from: 'hello@example.com' }),
      new TokenBucket({ ratePerSecond: rate, capacity: 10 }),
      { attempts: 3, baseMs: 10, maxMs: 100 },
    );
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => sender.send({ ...email, to: `${name}@example.com` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const recipients = (await ses.listMail()).flatMap((m) => m.destination.to).sort();
    expect(recipients).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
  });
});

describe('startSesLocal', () => {
  it('stops its whole process group', async () => {
    const other = await startSesLocal();
    expect(isGroupAlive(other.pid)).toBe(true);
    await other.stop();
    expect(isGroupAlive(other.pid)).toBe(false);
  });
});
