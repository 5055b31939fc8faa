import {
  AccessDeniedException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingSmsSender } from '../../../shared/channels/sms.js';
import type { OutgoingSms } from '../../../shared/ports/channels.js';

const sms = mockClient(PinpointSMSVoiceV2Client);
const meta = (httpStatusCode: number) => ({ httpStatusCode });

const message: OutgoingSms = {
  to: '+447700900123',
  text: 'Happy birthday from Touchpoint',
  messageType: 'PROMOTIONAL',
  tags: { campaign: 'birthday', customer: 'c-1' },
};

const sender = () =>
  new EndUserMessagingSmsSender({
    client: new PinpointSMSVoiceV2Client({ region: 'eu-west-1' }),
    originationIdentity: 'pool-123',
    configurationSetName: 'touchpoint-sms',
  });

describe('EndUserMessagingSmsSender', () => {
  beforeEach(() => {
    sms.reset();
  });

  it('sends the exact SendTextMessage input and returns the message id', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 's-1' });
    expect(await sender().send(message)).toEqual({ ok: true, providerMessageId: 's-1' });
    expect(sms).toHaveReceivedCommandExactlyOnceWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+447700900123',
      MessageBody: 'Happy birthday from Touchpoint',
      MessageType: 'PROMOTIONAL',
      OriginationIdentity: 'pool-123',
      ConfigurationSetName: 'touchpoint-sms',
      Context: { campaign: 'birthday', customer: 'c-1' },
    });
    expect(Object.keys(sms.commandCalls(SendTextMessageCommand)[0]?.args[0].input ?? {}).sort()).toEqual([
      'ConfigurationSetName',
      'Context',
      'DestinationPhoneNumber',
      'MessageBody',
      'MessageType',
      'OriginationIdentity',
    ]);
  });

  it('leaves out what is not configured', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 's-2' });
    const bare = new EndUserMessagingSmsSender({
      client: new PinpointSMSVoiceV2Client({ region: 'eu-west-1' }),
    });
    await bare.send({ ...message, messageType: 'TRANSACTIONAL', tags: {} });
    expect(sms.commandCalls(SendTextMessageCommand)[0]?.args[0].input).toEqual({
      DestinationPhoneNumber: '+447700900123',
      MessageBody: 'Happy birthday from Touchpoint',
      MessageType: 'TRANSACTIONAL',
    });
  });

  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'Rate exceeded', $metadata: meta(400) })],
  ])('maps %s to a retryable failure', async (_label, error) => {
    sms.on(SendTextMessageCommand).rejects(error);
    expect(await sender().send(message)).toMatchObject({ ok: false, retryable: true });
  });

  it('maps an InternalServerException (500) to a maybe-sent failure: not retried, settled unknown', async () => {
    sms
      .on(SendTextMessageCommand)
      .rejects(new InternalServerException({ message: 'oops', $metadata: meta(500) }));
    expect(await sender().send(message)).toMatchObject({ ok: false, retryable: false, maybeSent: true });
  });

  it.each([
    [
      'ValidationException (bad number)',
      new ValidationException({
        message: 'invalid phone',
        Reason: 'INVALID_PARAMETER',
        $metadata: meta(400),
      }),
    ],
    ['AccessDeniedException', new AccessDeniedException({ message: 'denied', $metadata: meta(400) })],
  ])('maps %s to a permanent failure', async (_label, error) => {
    sms.on(SendTextMessageCommand).rejects(error);
    expect(await sender().send(message)).toMatchObject({ ok: false, retryable: false });
  });
});
