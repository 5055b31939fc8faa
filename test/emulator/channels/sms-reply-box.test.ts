// The SMS page's reply box: a form on the local sink whose messages reach the inbound SMS handler
// (functions/inbound-sms.ts, as the cloud's two-way topic invokes it), whose answers come back to
// the sink through the real SDK client. Refused from another site's page, and without a handler.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageReplyHandler } from '../../../local/inbound-sms.js';
import { type SmsSink, startSmsSink } from '../../../local/sms-sink.js';
import { EndUserMessagingSmsSender } from '../../../shared/channels/sms.js';
import { manualClock, memoryStores } from '../../support/fakes/memory-stores.js';
import { customer } from '../../unit/domain/fixtures.js';

const PHONE = '+8613800138000';
let sink: SmsSink;
let client: PinpointSMSVoiceV2Client;
let dir: string;
const clock = manualClock('2026-12-01T02:00:00Z');
const store = memoryStores(clock);

const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${sink.endpoint}/reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'touchpoint-sms-reply-'));
  sink = await startSmsSink({ dir });
  client = new PinpointSMSVoiceV2Client({
    endpoint: sink.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await store.documents.putCustomers([
    customer('c-cn', { phone: PHONE, locale: 'zh-CN', timeZone: 'Asia/Shanghai' }),
  ]);
});
afterAll(async () => {
  client?.destroy();
  await sink?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the SMS page reply box', () => {
  it('answers 503 and changes nothing while no inbound handler runs with the sink', async () => {
    const r = await post({ from: PHONE, text: '退订' });
    expect(r.status).toBe(503);
    expect((await store.customers.getCustomer('c-cn'))?.consent.sms).toBe(true);
  });

  it('links the form from the message list and serves it', async () => {
    expect(await (await fetch(`${sink.endpoint}/`)).text()).toContain('href="/reply"');
    const page = await (await fetch(`${sink.endpoint}/reply`)).text();
    expect(page).toContain('<form method="post" action="/reply">');
  });

  it('delivers 退订 to the inbound handler: the customer opts out and the Chinese answer lands in the sink', async () => {
    const sms = new EndUserMessagingSmsSender({ client, originationIdentity: '+15555550100' });
    sink.onReply(pageReplyHandler({ store, sms, clock }, '+15555550100'));
    const r = await post({ from: PHONE, text: '退订' }, { origin: sink.endpoint });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Received: opt-out');
    expect((await store.customers.getCustomer('c-cn'))?.consent.sms).toBe(false);
    expect(sink.messages()).toEqual([
      expect.objectContaining({ to: PHONE, body: expect.stringMatching(/您已退订/) }),
    ]);
  });

  it("refuses a post from another site's page and changes nothing", async () => {
    const before = sink.messages().length;
    const r = await post({ from: PHONE, text: 'START' }, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect((await store.customers.getCustomer('c-cn'))?.consent.sms).toBe(false);
    expect(sink.messages()).toHaveLength(before);
  });
});
