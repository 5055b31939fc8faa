// Email (SES v2) and SMS (End User Messaging) senders for the handlers that send: send-batch and
// the API's test-send. Every sender of a channel, in every instance, books its send times on one
// shared schedule (shared/channels/rate-budget.ts), so together they hold the configured rate; the
// SDK's own retries would multiply ours (each attempt books a time), so the clients make one attempt.
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SharedRateBudget } from '../../shared/channels/rate-budget.js';
import { SesEmailSender } from '../../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../../shared/channels/sms.js';
import {
  type Sender,
  sesMaxSendRate,
  throttled,
  type WindowRetryOptions,
} from '../../shared/channels/throttle.js';
import { windowGuarded } from '../../shared/channels/window-guard.js';
import type { EmailSender, SmsSender } from '../../shared/ports/channels.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { RateSchedule } from '../../shared/ports/rate-budget.js';

/**
 * A throttled send retries inside its window, for up to two minutes in all: the send function's
 * timeout (5 min) must still cover the rest of its batch.
 */
const RETRY: WindowRetryOptions = { attempts: 5, baseMs: 200, maxMs: 5_000, retryWithinWindowMs: 120_000 };

const smsDisabled: SmsSender = {
  send: async () => ({
    ok: false,
    retryable: false,
    error: 'SMS is disabled: no origination identity configured',
  }),
};

/**
 * Builds the sender on the first send. A failed build (one throttled GetAccount on a cold start: the
 * client makes one attempt) is not kept: that send fails before any provider call (its touch settles
 * `failed`, key free for a later run) and the next send builds again.
 */
export function lazySender<M>(build: () => Promise<Sender<M>>): Sender<M> {
  let built: Promise<Sender<M>> | undefined;
  return {
    send: async (message) => {
      built ??= build().catch((error: unknown) => {
        built = undefined;
        throw error;
      });
      let sender: Sender<M>;
      try {
        sender = await built;
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return { ok: false, retryable: false, error: `the sender could not be set up (${reason})` };
      }
      return sender.send(message);
    },
  };
}

export interface ChannelEnv {
  SENDER_EMAIL: string;
  SES_CONFIGURATION_SET: string;
  SMS_ORIGINATION_IDENTITY?: string | undefined;
  SMS_CONFIGURATION_SET?: string | undefined;
  SMS_MAX_PER_SECOND: number;
}

export function cloudChannels(
  env: ChannelEnv,
  schedule: RateSchedule,
  trace: <C>(client: C) => C = (c) => c,
): { email: EmailSender; sms: SmsSender } {
  const ses = trace(new SESv2Client({ maxAttempts: 1 }));
  const email = lazySender(async () =>
    throttled(
      windowGuarded(
        new SesEmailSender({
          client: ses,
          from: env.SENDER_EMAIL,
          configurationSetName: env.SES_CONFIGURATION_SET,
        }),
        systemClock,
      ),
      // The rate follows the account's quota; read once, on the first send.
      new SharedRateBudget({ channel: 'email', ratePerSecond: await sesMaxSendRate(ses), schedule }),
      RETRY,
    ),
  );
  const origination = env.SMS_ORIGINATION_IDENTITY;
  const sms = origination
    ? throttled(
        windowGuarded(
          new EndUserMessagingSmsSender({
            client: trace(new PinpointSMSVoiceV2Client({ maxAttempts: 1 })),
            originationIdentity: origination,
            ...(env.SMS_CONFIGURATION_SET && { configurationSetName: env.SMS_CONFIGURATION_SET }),
          }),
          systemClock,
        ),
        new SharedRateBudget({ channel: 'sms', ratePerSecond: env.SMS_MAX_PER_SECOND, schedule }),
        RETRY,
      )
    : smsDisabled;
  return { email, sms };
}
