// The cloud's dependencies, built once per cold start from the environment (parsed by zod once).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { FUNCTION_ENV } from '../../infra/constructs/function-env.js';
import { SesEmailSender } from '../../shared/channels/ses-email.js';
import { EndUserMessagingSmsSender } from '../../shared/channels/sms.js';
import {
  type RetryOptions,
  type Sender,
  sesMaxSendRate,
  TokenBucket,
  throttled,
} from '../../shared/channels/throttle.js';
import { EventBridgePublisher } from '../../shared/events/eventbridge.js';
import type { SmsSender } from '../../shared/ports/channels.js';
import { dynamoStores } from '../../shared/store/stores.js';
import type { Deps } from './deps.js';

const env = z.object({
  [FUNCTION_ENV.tableName]: z.string().min(1),
  [FUNCTION_ENV.eventBusName]: z.string().min(1).optional(),
  [FUNCTION_ENV.senderEmail]: z.string().min(1).optional(),
  [FUNCTION_ENV.sesConfigurationSet]: z.string().min(1).optional(),
  [FUNCTION_ENV.smsOriginationIdentity]: z.string().min(1).optional(),
  SMS_MAX_PER_SECOND: z.coerce.number().positive().default(1),
  UNSUBSCRIBE_BASE_URL: z.string().url().default('https://example.invalid/'),
  UNSUBSCRIBE_SECRET: z.string().min(16).default('rotate-me-set-UNSUBSCRIBE_SECRET'),
});

/** The SDK's own retries would multiply ours (each attempt takes a token): ours are the only ones. */
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

export async function cloudDeps(): Promise<Deps> {
  const e = env.parse(process.env);
  const store = dynamoStores({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName: e[FUNCTION_ENV.tableName],
  });
  const ses = new SESv2Client({ maxAttempts: 1 });
  const sender = e[FUNCTION_ENV.senderEmail];
  const email = sender
    ? lazySender(async () =>
        throttled(
          new SesEmailSender({
            client: ses,
            from: sender,
            ...(e[FUNCTION_ENV.sesConfigurationSet] && {
              configurationSetName: e[FUNCTION_ENV.sesConfigurationSet],
            }),
          }),
          // The bucket follows the account's quota; read once, on the first send (only SendBatch sends).
          new TokenBucket({ ratePerSecond: await sesMaxSendRate(ses) }),
          RETRY,
        ),
      )
    : {
        send: async () => ({
          ok: false as const,
          retryable: false,
          error: 'email is disabled: no sender configured',
        }),
      };
  const origination = e[FUNCTION_ENV.smsOriginationIdentity];
  const sms = origination
    ? throttled(
        new EndUserMessagingSmsSender({
          client: new PinpointSMSVoiceV2Client({ maxAttempts: 1 }),
          originationIdentity: origination,
        }),
        new TokenBucket({ ratePerSecond: e.SMS_MAX_PER_SECOND }),
        RETRY,
      )
    : smsDisabled;
  const busName = e[FUNCTION_ENV.eventBusName];
  return {
    store,
    email,
    sms,
    events: busName
      ? new EventBridgePublisher({ client: new EventBridgeClient({}), busName })
      : { publish: async () => undefined },
    clock: { now: () => new Date() },
    links: { unsubscribeBaseUrl: e.UNSUBSCRIBE_BASE_URL, unsubscribeSecret: e.UNSUBSCRIBE_SECRET },
  };
}
