// The fault proxy (local/provider-faults.ts) in front of the real local servers, with the real SDK
// clients and senders: each injected fault reaches the run as the cloud's would (shared/channels/errors.ts).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FaultProxy, seededRandom, startFaultProxy } from '../../../local/provider-faults.js';
import { LOCAL_AWS } from '../../../local/runtime.js';
import { type SesLocal, startSesLocal } from '../../../local/ses-local.js';
import { type SmsSink, startSmsSink } from '../../../local/sms-sink.js';
import { SesEmailSender } from '../../../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../../../shared/channels/sms.js';
import type { OutgoingEmail, OutgoingSms } from '../../../shared/ports/channels.js';

let ses: SesLocal;
let sink: SmsSink;
const proxies: FaultProxy[] = [];
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  ses = await startSesLocal({ maxSendRate: 100 });
  sink = await startSmsSink();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const p of proxies) await p.stop();
  await sink?.stop();
  await ses?.stop();
});

const email = (to: string): OutgoingEmail => ({
  to,
  subject: 'Happy birthday',
  text: 'Hello',
  unsubscribeUrl: 'http://127.0.0.1:8787/u/t',
  tags: { campaign: 'birthday' },
});
const sms = (to: string): OutgoingSms => ({
  to,
  text: 'Hello',
  messageType: 'PROMOTIONAL',
  tags: { campaign: 'birthday' },
});

async function sesBehind(options: Parameters<typeof startFaultProxy>[1]) {
  const proxy = await startFaultProxy(ses.endpoint, options);
  proxies.push(proxy);
  const client = new SESv2Client({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 1 });
  clients.push(client);
  return { proxy, sender: new SesEmailSender({ client, from: 'hello@example.com' }) };
}

const mailsTo = async (address: string) =>
  (await ses.listMail()).filter((m) => m.destination.to.includes(address)).length;

describe('the fault proxy in front of the local SES server', () => {
  it('throttles with a 429 the sender retries, and the server never sees the message', async () => {
    const { proxy, sender } = await sesBehind({
      protocol: 'ses',
      bursts: [{ kind: 'throttle', from: 0, count: 1 }],
    });
    const result = await sender.send(email('throttled@example.com'));
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok === false && result.maybeSent).toBeFalsy();
    expect(await mailsTo('throttled@example.com')).toBe(0);
    expect(proxy.stats()).toMatchObject({ matched: 1, forwarded: 0, injected: { throttle: 1 } });
    // The burst is over: the next request goes through.
    expect(await sender.send(email('throttled@example.com'))).toMatchObject({ ok: true });
    expect(await mailsTo('throttled@example.com')).toBe(1);
  });

  it('answers a 5xx before or after forwarding: maybe sent either way, and only the second reached the server', async () => {
    const { sender } = await sesBehind({
      protocol: 'ses',
      bursts: [
        { kind: 'error-before', from: 0, count: 1 },
        { kind: 'error-after', from: 1, count: 1 },
      ],
    });
    expect(await sender.send(email('before@example.com'))).toMatchObject({ ok: false, maybeSent: true });
    expect(await sender.send(email('after@example.com'))).toMatchObject({ ok: false, maybeSent: true });
    expect(await mailsTo('before@example.com')).toBe(0);
    expect(await mailsTo('after@example.com')).toBe(1);
  });

  it('times out after forwarding: the socket is reset, the message is at the server, the send is maybe sent', async () => {
    const { sender } = await sesBehind({
      protocol: 'ses',
      hangMs: 5,
      bursts: [{ kind: 'timeout-after', from: 0, count: 1 }],
    });
    expect(await sender.send(email('hang@example.com'))).toMatchObject({ ok: false, maybeSent: true });
    expect(await mailsTo('hang@example.com')).toBe(1);
  });

  it('delays the sends only (the mailbox read goes straight through), and a seed replays the same faults', async () => {
    const { proxy, sender } = await sesBehind({
      protocol: 'ses',
      latencyMs: 5,
      rates: { throttle: 0.5 },
      seed: 3,
    });
    for (const n of [1, 2, 3, 4]) await sender.send(email(`slow${n}@example.com`));
    await fetch(new URL('/store', proxy.endpoint));
    const first = proxy.stats();
    expect(first).toMatchObject({ requests: 5, matched: 4 });
    const again = await sesBehind({ protocol: 'ses', latencyMs: 5, rates: { throttle: 0.5 }, seed: 3 });
    for (const n of [1, 2, 3, 4]) await again.sender.send(email(`slow${n}@example.com`));
    expect(again.proxy.stats().injected).toEqual(first.injected);
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});

describe('the fault proxy in front of the SMS sink and DynamoDB Local', () => {
  it('throttles SendTextMessage with ThrottlingException, retryable, nothing recorded', async () => {
    const proxy = await startFaultProxy(sink.endpoint, { protocol: 'sms', rates: { throttle: 1 } });
    proxies.push(proxy);
    const client = new PinpointSMSVoiceV2Client({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 1 });
    clients.push(client);
    const sender = new EndUserMessagingSmsSender({ client, originationIdentity: '+15555550100' });
    expect(await sender.send(sms('+14155550199'))).toMatchObject({ ok: false, retryable: true });
    expect(sink.messages().filter((m) => m.to === '+14155550199')).toEqual([]);
  });

  it('refuses a DynamoDB call with ProvisionedThroughputExceededException, which the SDK retries', async () => {
    const proxy = await startFaultProxy(inject('ddbEndpoint'), {
      protocol: 'dynamodb',
      bursts: [{ kind: 'throttle', from: 0, count: 1 }],
    });
    proxies.push(proxy);
    const once = new DynamoDBClient({ ...LOCAL_AWS, endpoint: proxy.endpoint, maxAttempts: 1 });
    clients.push(once);
    const get = new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } });
    await expect(once.send(get)).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    // The next call gets through to DynamoDB Local (which says the table does not exist).
    await expect(once.send(get)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(proxy.stats()).toMatchObject({ matched: 2, forwarded: 1, injected: { throttle: 1 } });
  });
});
