// SMS through AWS End User Messaging SMS (pinpoint-sms-voice-v2). Never throws: every outcome is a SendResult.
import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { OutgoingSms, SendResult, SmsSender } from '../ports/channels.js';
import { failureFrom } from './errors.js';

export interface EndUserMessagingSmsSenderOptions {
  client: PinpointSMSVoiceV2Client;
  /** Phone number, sender ID, pool id or ARN; omitted, the service picks from the account's numbers. */
  originationIdentity?: string;
  /** Routes delivery events to their destinations. */
  configurationSetName?: string;
}

export class EndUserMessagingSmsSender implements SmsSender {
  readonly #client: PinpointSMSVoiceV2Client;
  readonly #originationIdentity: string | undefined;
  readonly #configurationSetName: string | undefined;

  constructor(options: EndUserMessagingSmsSenderOptions) {
    this.#client = options.client;
    this.#originationIdentity = options.originationIdentity;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(message: OutgoingSms): Promise<SendResult> {
    const command = new SendTextMessageCommand({
      DestinationPhoneNumber: message.to,
      MessageBody: message.text,
      MessageType: message.messageType,
      ...(this.#originationIdentity === undefined ? {} : { OriginationIdentity: this.#originationIdentity }),
      ...(this.#configurationSetName === undefined
        ? {}
        : { ConfigurationSetName: this.#configurationSetName }),
      // Context is echoed on delivery events, which is how they find their way back to the ledger row.
      ...(Object.keys(message.tags).length === 0 ? {} : { Context: { ...message.tags } }),
    });
    try {
      const output = await this.#client.send(command);
      if (output.MessageId === undefined) {
        return { ok: false, retryable: false, error: 'SMS accepted without a MessageId' };
      }
      return { ok: true, providerMessageId: output.MessageId };
    } catch (error) {
      return failureFrom(error);
    }
  }
}
