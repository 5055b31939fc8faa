// Email through SES v2. Never throws: every outcome is a SendResult the run can record.
import { type MessageTag, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailSender, OutgoingEmail, SendResult } from '../ports/channels.js';
import { failureFrom } from './errors.js';

export interface SesEmailSenderOptions {
  client: SESv2Client;
  /** A verified identity, optionally with a display name: `Touchpoint <hello@example.com>`. */
  from: string;
  /** Routes delivery, bounce, complaint, open and click events to their destinations. */
  configurationSetName?: string;
}

/** SES allows only ASCII letters, digits, `_` and `-` in tag names and values, up to 256 characters. */
const MAX_TAG_LENGTH = 256;
export const sanitizeTagPart = (value: string): string => {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_TAG_LENGTH);
  // An empty name or value is refused by SES; keep the tag visible instead of failing the send.
  return cleaned === '' ? '_' : cleaned;
};

export const emailTags = (tags: Record<string, string>): MessageTag[] =>
  Object.entries(tags).map(([name, value]) => ({
    Name: sanitizeTagPart(name),
    Value: sanitizeTagPart(value),
  }));

// RFC 2047 encoded-words stay within 75 characters: 45 bytes of UTF-8 become 60 of base64.
const MAX_WORD_BYTES = 45;

/** A display name as a From header carries it: quoted if ASCII, else RFC 2047 encoded-words. */
export function encodeDisplayName(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/["\\]/g, '\\$&')}"`;
  const words: string[] = [];
  let chunk = '';
  for (const ch of name) {
    if (Buffer.byteLength(chunk + ch) > MAX_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/** The configured sender (`a@b` or `Name <a@b>`) under another display name. */
export function fromWithName(from: string, name: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return `${encodeDisplayName(name)} <${address}>`;
}

/**
 * SES refusing for the whole account, not this message (docs/send-time-checks.md): the touch is
 * settled `failed` (key free, so a rerun after the cause is fixed sends it) with the operator's next
 * step, since every send fails the same way until it is lifted.
 */
const ACCOUNT_REFUSALS: Record<string, string> = {
  SendingPausedException:
    'SES has paused sending for this account or configuration set (its own reputation review); lift it in the SES console, then rerun the day',
  AccountSuspendedException: 'SES has suspended this account; contact AWS Support, then rerun the day',
};

export function explainAccountRefusal<F extends { error: string }>(failure: F): F {
  const name = /^(\w+)/.exec(failure.error)?.[1];
  const why = name === undefined ? undefined : ACCOUNT_REFUSALS[name];
  return why === undefined ? failure : { ...failure, error: `${why} (${failure.error})` };
}

export class SesEmailSender implements EmailSender {
  readonly #client: SESv2Client;
  readonly #from: string;
  readonly #configurationSetName: string | undefined;

  constructor(options: SesEmailSenderOptions) {
    this.#client = options.client;
    this.#from = options.from;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(message: OutgoingEmail): Promise<SendResult> {
    const command = new SendEmailCommand({
      FromEmailAddress:
        message.fromName === undefined ? this.#from : fromWithName(this.#from, message.fromName),
      Destination: { ToAddresses: [message.to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            ...(message.html === undefined ? {} : { Html: { Data: message.html, Charset: 'UTF-8' } }),
          },
          // RFC 8058 one-click unsubscribe: mailbox providers require both headers for bulk senders.
          Headers: [
            { Name: 'List-Unsubscribe', Value: `<${message.unsubscribeUrl}>` },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
      ...(this.#configurationSetName === undefined
        ? {}
        : { ConfigurationSetName: this.#configurationSetName }),
      ...(Object.keys(message.tags).length === 0 ? {} : { EmailTags: emailTags(message.tags) }),
    });
    try {
      const output = await this.#client.send(command);
      if (output.MessageId === undefined) {
        return { ok: false, retryable: false, error: 'SES accepted the message without a MessageId' };
      }
      return { ok: true, providerMessageId: output.MessageId };
    } catch (error) {
      return explainAccountRefusal(failureFrom(error));
    }
  }
}
