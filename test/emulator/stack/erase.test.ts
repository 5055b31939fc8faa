// The GDPR erase reaches the local stores outside the table: the bus log (`events.ndjson`, where a
// partner's webhook events land with their data) and the outbox (the local SES server's store and
// capture file, the SMS sink's list and file). Through the local API (`localApiDeps`, as `serve` and
// the background stack compose it), over DynamoDB Local, the real local SES server and SMS sink.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { localApiDeps } from '../../../local/api-server.js';
import { RuleBus } from '../../../local/bus-rules.js';
import { LocalBus } from '../../../local/local-bus.js';
import { EMAIL_CAPTURE_FILE, type SesLocal, startSesLocal } from '../../../local/ses-local.js';
import { type SmsSink, startSmsSink } from '../../../local/sms-sink.js';
import { readOutbox } from '../../../local/stack/outbox.js';
import { loadTemplate } from '../../../local/synth.js';
import { createApp } from '../../../shared/api/app.js';
import { SesEmailSender } from '../../../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../../../shared/channels/sms.js';
import { systemClock } from '../../../shared/ports/clock.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { erasureReportSchema } from '../../../shared/usecases/customers/schemas.js';
import { partnerAddedSchema } from '../../../shared/usecases/partners/schemas.js';
import { createTestStore } from '../support/ddb.js';
import { customer, touch } from '../support/fixtures.js';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const ERASED = { id: 'c-erased', email: 'erased@example.com', phone: '+14155550123' };
const KEPT = { id: 'c-kept', email: 'kept@example.com', phone: '+14155550124' };

let dataDir: string;
let store: DynamoStores;
let ses: SesLocal | undefined;
let sink: SmsSink | undefined;
let app: ReturnType<typeof createApp>;
let token = '';
let partnerSecret = '';

const busLog = () => join(dataDir, 'events.ndjson');
const call = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

/** A signed partner webhook with one event of the customer, as a partner sends it. */
async function webhook(customerId: string, data: Record<string, string>): Promise<number> {
  const body = JSON.stringify({
    id: `ev-${ulid()}`,
    customerId,
    type: 'store.visit',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    data,
  });
  const id = ulid();
  const at = new Date();
  const res = await app.request('/webhooks/acme', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(partnerSecret).sign(id, at, body),
    },
  });
  return res.status;
}

/** One email and one SMS to the customer, recorded in the ledger as the run's send step does. */
async function sendBoth(c: typeof ERASED, email: SesEmailSender, sms: EndUserMessagingSmsSender) {
  for (const channel of ['email', 'sms'] as const) {
    const t = touch({ customerId: c.id, channel, address: channel === 'email' ? c.email : c.phone });
    const now = new Date().toISOString();
    await store.ledger.reserve(t, 'run-e', now);
    const sent =
      channel === 'email'
        ? await email.send({
            to: c.email,
            subject: `Hello ${c.id}`,
            text: 'Your plan ends soon',
            unsubscribeUrl: 'http://127.0.0.1:8787/u/x',
            tags: { campaign: 'renewal' },
          })
        : await sms.send({ to: c.phone, text: `Hi ${c.id}`, messageType: 'PROMOTIONAL', tags: {} });
    if (!sent.ok) throw new Error(sent.error);
    await store.ledger.settle(t, { status: 'sent', providerMessageId: sent.providerMessageId }, now);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-erase-'));
  const { template } = await loadTemplate();
  ({ store } = await createTestStore());
  ses = await startSesLocal({ captureFile: join(dataDir, EMAIL_CAPTURE_FILE) });
  sink = await startSmsSink({ dir: dataDir });
  const sesClient = new SESv2Client({ ...LOCAL, endpoint: ses.endpoint });
  const smsClient = new PinpointSMSVoiceV2Client({ ...LOCAL, endpoint: sink.endpoint });
  const email = new SesEmailSender({ client: sesClient, from: 'outreach@touchpoint.local' });
  const sms = new EndUserMessagingSmsSender({ client: smsClient, originationIdentity: '+15555550100' });
  const bus = new LocalBus(busLog());
  const deps = {
    store,
    email,
    sms,
    events: bus,
    clock: systemClock,
    links: { unsubscribeBaseUrl: 'http://127.0.0.1:8787/', unsubscribeSecret: 's' },
  };
  const apiDeps = localApiDeps({
    template,
    deps,
    bus,
    dataDir,
    info: { sesEndpoint: ses.endpoint, smsEndpoint: sink.endpoint },
  });
  token = apiDeps.config.opsToken ?? '';
  app = createApp(apiDeps);

  await store.documents.putCustomers([customer(ERASED), customer(KEPT)]);
  partnerSecret = partnerAddedSchema.parse(
    await (await call('POST', '/v1/partners', { id: 'acme' })).json(),
  ).secret;
  expect(await webhook(ERASED.id, { note: 'visited the Lyon store' })).toBe(202);
  expect(await webhook(KEPT.id, { note: 'visited the Porto store' })).toBe(202);
  // The bus delivers after the 202, as EventBridge does: the events are stored before the erase.
  if (apiDeps.events instanceof RuleBus) await apiDeps.events.settled();
  await sendBoth(ERASED, email, sms);
  await sendBoth(KEPT, email, sms);
}, 120_000);

afterAll(async () => {
  await ses?.stop();
  await sink?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const erase = async (id: string) => {
  const res = await call('DELETE', `/v1/customers/${id}`);
  expect(res.status).toBe(200);
  return erasureReportSchema.parse(await res.json());
};
const mentions = (text: string, c: typeof ERASED) => [c.id, c.email, c.phone].filter((v) => text.includes(v));

describe('erase reaches the local stores outside the table', () => {
  let report: z.infer<typeof erasureReportSchema> | undefined;

  it("erase removes the customer's events from the local bus log", async () => {
    expect(mentions(readFileSync(busLog(), 'utf8'), ERASED)).toEqual([ERASED.id]);
    expect(readOutbox(dataDir).map((m) => m.to)).toContain(ERASED.email);
    report = await erase(ERASED.id);
    expect(report.elsewhere).toMatchObject({ localBusLog: 1 });
    // The answer (and the audit line, made of the same counts) names no personal data.
    expect(mentions(JSON.stringify(report), ERASED)).toEqual([]);
    const log = readFileSync(busLog(), 'utf8');
    expect(mentions(log, ERASED)).toEqual([]);
    expect(log).not.toContain('Lyon');
    // Everyone else's events stay, and the log is the user's alone.
    expect(log).toContain('Porto');
    expect(statSync(busLog()).mode & 0o777).toBe(0o600);
  });

  it("erase removes the customer's messages from the outbox: the running servers and their files", async () => {
    expect(report?.elsewhere).toMatchObject({ localOutbox: 2 });
    const outbox = readOutbox(dataDir);
    expect(outbox.map((m) => m.to).sort()).toEqual([KEPT.phone, KEPT.email].sort());
    expect(mentions(readFileSync(join(dataDir, EMAIL_CAPTURE_FILE), 'utf8'), ERASED)).toEqual([]);
    expect(mentions(readFileSync(join(dataDir, 'sms-messages.json'), 'utf8'), ERASED)).toEqual([]);
    // What the mailbox page and the SMS page show, from the servers' memory.
    expect((await ses?.listMail())?.map((m) => m.destination.to)).toEqual([[KEPT.email]]);
    expect(sink?.messages().map((m) => m.to)).toEqual([KEPT.phone]);
  });

  it('with the servers stopped, erase rewrites their files, and a restarted server does not bring messages back', async () => {
    await ses?.stop();
    await sink?.stop();
    const report = await erase(KEPT.id);
    expect(report.elsewhere).toEqual({ localBusLog: 1, localBusDlq: 0, localOutbox: 2 });
    expect(readOutbox(dataDir)).toEqual([]);
    ses = await startSesLocal({ captureFile: join(dataDir, EMAIL_CAPTURE_FILE) });
    expect(await ses.listMail()).toEqual([]);
    sink = await startSmsSink({ dir: dataDir });
    expect(sink.messages()).toEqual([]);
  });
});
