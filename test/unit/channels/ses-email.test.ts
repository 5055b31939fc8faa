import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  MessageRejected,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmailSender, sanitizeTagPart } from '../../../shared/channels/ses-email.js';
import type { OutgoingEmail } from '../../../shared/ports/channels.js';

const ses = mockClient(SESv2Client);
const meta = (httpStatusCode: number) => ({ httpStatusCode });

const email: OutgoingEmail = {
  to: 'ana@example.com',
  subject: 'Your contract ends soon',
  text: 'Renew today.',
  html: '<p>Renew today.</p>',
  unsubscribeUrl: 'https://touchpoint.example/u/abc?sig=1',
  tags: { campaign: 'renewal-2026', step: 'd-30', customer: 'c.1@x' },
};

const sender = (configurationSetName?: string) =>
  new SesEmailSender({
    client: new SESv2Client({ region: 'eu-west-1' }),
    from: 'Touchpoint <hello@example.com>',
    ...(configurationSetName === undefined ? {} : { configurationSetName }),
  });

describe('SesEmailSender', () => {
  beforeEach(() => {
    ses.reset();
  });

  it('sends the exact SendEmail input and returns the message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const result = await sender('touchpoint-events').send(email);
    expect(result).toEqual({ ok: true, providerMessageId: 'm-1' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'Touchpoint <hello@example.com>',
      Destination: { ToAddresses: ['ana@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your contract ends soon', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'Renew today.', Charset: 'UTF-8' },
            Html: { Data: '<p>Renew today.</p>', Charset: 'UTF-8' },
          },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://touchpoint.example/u/abc?sig=1>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
      ConfigurationSetName: 'touchpoint-events',
      EmailTags: [
        { Name: 'campaign', Value: 'renewal-2026' },
        { Name: 'step', Value: 'd-30' },
        { Name: 'customer', Value: 'c_1_x' },
      ],
    });
  });

  it('leaves out Html, ConfigurationSetName and EmailTags when there are none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const { html: _html, ...textOnly } = email;
    await sender().send({ ...textOnly, tags: {} });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Simple?.Body).toEqual({ Text: { Data: 'Renew today.', Charset: 'UTF-8' } });
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input).not.toHaveProperty('EmailTags');
  });

  it.each([
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ message: 'Rate exceeded', $metadata: meta(429) }),
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ],
  ])('maps %s to a retryable failure', async (_label, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const result = await sender().send(email);
    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  it.each([
    [
      'InternalServiceErrorException',
      new InternalServiceErrorException({ message: 'oops', $metadata: meta(500) }),
    ],
    [
      'an unmodelled 503',
      new SESv2ServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: meta(503) }),
    ],
    ['a socket reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('maps %s to a maybe-sent failure: not retried, settled unknown', async (_label, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const result = await sender().send(email);
    expect(result).toMatchObject({ ok: false, retryable: false, maybeSent: true });
  });

  it.each([
    [
      'MessageRejected',
      new MessageRejected({ message: 'Email address is not verified.', $metadata: meta(400) }),
    ],
    [
      'AccountSuspendedException',
      new AccountSuspendedException({ message: 'suspended', $metadata: meta(400) }),
    ],
    ['a bad address', new BadRequestException({ message: 'Illegal address', $metadata: meta(400) })],
    [
      'a socket reset (the mail may be out)',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ],
  ])('maps %s to a permanent failure', async (_label, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const result = await sender().send(email);
    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it('names the provider error in the failure', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Not verified', $metadata: meta(400) }));
    expect(await sender().send(email)).toEqual({
      ok: false,
      retryable: false,
      error: 'MessageRejected (400): Not verified',
    });
  });
});

describe('sanitizeTagPart', () => {
  it('keeps only the characters SES allows and at most 256 of them', () => {
    expect(sanitizeTagPart('zh-CN/gold tier:1')).toBe('zh-CN_gold_tier_1');
    expect(sanitizeTagPart('ä'.repeat(300))).toBe('_'.repeat(256));
    expect(sanitizeTagPart('')).toBe('_');
  });
});
