import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSinkFile, type SmsSink, startSmsSink } from '../../../local/sms-sink.js';
import { EndUserMessagingSmsSender } from '../../../shared/channels/sms.js';
import { TokenBucket, throttled } from '../../../shared/channels/throttle.js';
import type { OutgoingSms } from '../../../shared/ports/channels.js';

let sink: SmsSink;
let client: PinpointSMSVoiceV2Client;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'touchpoint-sms-'));
  sink = await startSmsSink({ dir });
  client = new PinpointSMSVoiceV2Client({
    endpoint: sink.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The SDK would retry throttling on its own; one attempt here shows that our retry does it.
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await sink?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  sink.clear();
});

const sms: OutgoingSms = {
  to: '+447700900123',
  text: 'Feliz cumpleaños, Ana!',
  messageType: 'PROMOTIONAL',
  tags: { campaign: 'birthday', customer: 'c-1' },
};

const sender = () =>
  new EndUserMessagingSmsSender({
    client,
    originationIdentity: 'TOUCHPT',
    configurationSetName: 'touchpoint-sms',
  });

describe('EndUserMessagingSmsSender against the SMS sink', () => {
  it('sends through the real SDK client; the sink records and files the message', async () => {
    const result = await sender().send(sms);
    if (!result.ok) throw new Error(`send failed: ${result.error}`);
    expect(sink.messages()).toEqual([
      {
        messageId: result.providerMessageId,
        to: '+447700900123',
        body: 'Feliz cumpleaños, Ana!',
        messageType: 'PROMOTIONAL',
        originationIdentity: 'TOUCHPT',
        configurationSetName: 'touchpoint-sms',
        context: { campaign: 'birthday', customer: 'c-1' },
        receivedAt: expect.any(String),
      },
    ]);
    expect(readSinkFile(dir)).toEqual(sink.messages());
    const listed: unknown = await (await fetch(`${sink.endpoint}/messages`)).json();
    expect(listed).toEqual(sink.messages());
  });

  it('maps an injected throttle to a retryable failure the SDK understood', async () => {
    sink.failNext(1, 'ThrottlingException');
    const result = await sender().send(sms);
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok ? '' : result.error).toContain('ThrottlingException');
    expect(sink.messages()).toEqual([]);
  });

  it('retries throttling with backoff through the bucket until the sink accepts', async () => {
    sink.failNext(2, 'ThrottlingException');
    const retrying = throttled(sender(), new TokenBucket({ ratePerSecond: 50 }), {
      attempts: 4,
      baseMs: 5,
      maxMs: 50,
    });
    const result = await retrying.send(sms);
    expect(result.ok).toBe(true);
    expect(sink.requestCount()).toBe(3);
    expect(sink.messages()).toHaveLength(1);
  });

  it('gives up after the last attempt', async () => {
    sink.failNext(5, 'ThrottlingException');
    const retrying = throttled(sender(), new TokenBucket({ ratePerSecond: 50 }), {
      attempts: 3,
      baseMs: 5,
      maxMs: 50,
    });
    expect(await retrying.send(sms)).toMatchObject({ ok: false, retryable: true });
    expect(sink.requestCount()).toBe(3);
    expect(sink.messages()).toEqual([]);
  });

  it('refuses a number that is not E.164 as a permanent failure', async () => {
    const result = await sender().send({ ...sms, to: '07700 900123' });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok ? '' : result.error).toContain('ValidationException');
  });

  it('shows messages on an HTML page with their text escaped', async () => {
    await sender().send({ ...sms, text: '<script>alert("x")</script> & more' });
    const page = await (await fetch(sink.pageUrl)).text();
    expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; more');
    expect(page).not.toContain('<script>');
  });
});
