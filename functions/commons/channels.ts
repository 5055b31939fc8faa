// Email (SES v2) and SMS (End User Messaging) senders for the handlers that send: send-batch and
// the API's test-send. Each behind our token bucket and retries; the SDK's own retries would
// multiply ours (each attempt takes a token), so the clients make one attempt.
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesEmailSender } from '../../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../../shared/channels/sms.js';
import {
  type RetryOptions,
  type Sender,
  sesMaxSendRate,
  TokenBucket,
  throttled,
} from '../../shared/channels/throttle.js';
import type { EmailSender, SmsSender } from '../../shared/ports/channels.js';

const RETRY: RetryOptions = { attempts: 5, baseMs: 200, maxMs: 5_000 };

const smsDisabled: SmsSender = {
  send: async () => ({
    ok: false,
    retryable: false,
    error: 'SMS is disabled: no origination identity configured',
  }),
};

function lazySender<M>(build: () => Promise<Sender<M>>): Sender<M> {
  let built: Promise<Sender<M>> | undefined;
  return {
    send: async (message) => {
      built ??= build();
      return (await built).send(message);
    },
  };
}

export interface ChannelEnv {
  SENDER_EMAIL: string;
  SES_CONFIGURATION_SET: string;
  SMS_ORIGINATION_IDENTITY?: string | undefined;
  SMS_MAX_PER_SECOND: number;
}

export function cloudChannels(
  env: ChannelEnv,
  trace: <C>(client: C) => C = (c) => c,
): { email: EmailSender; sms: SmsSender } {
  const ses = trace(new SESv2Client({ maxAttempts: 1 }));
  const email = lazySender(async () =>
    throttled(
      new SesEmailSender({
        client: ses,
        from: env.SENDER_EMAIL,
        configurationSetName: env.SES_CONFIGURATION_SET,
      }),
      // The bucket follows the account's quota; read once, on the first send.
      new TokenBucket({ ratePerSecond: await sesMaxSendRate(ses) }),
      RETRY,
    ),
  );
  const origination = env.SMS_ORIGINATION_IDENTITY;
  const sms = origination
    ? throttled(
        new EndUserMessagingSmsSender({
          client: trace(new PinpointSMSVoiceV2Client({ maxAttempts: 1 })),
          originationIdentity: origination,
        }),
        new TokenBucket({ ratePerSecond: env.SMS_MAX_PER_SECOND }),
        RETRY,
      )
    : smsDisabled;
  return { email, sms };
}
