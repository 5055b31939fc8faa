// Channel senders for use-case tests: an email provider that records what it was asked to send, an
// SMS sender that refuses everything, and the unsubscribe link settings sends are rendered with.
import type { OutgoingEmail, SendResult } from '../../../shared/ports/channels.js';

export const TEST_LINKS = {
  unsubscribeBaseUrl: 'https://u.example/',
  unsubscribeSecret: 'test-secret-0123456789',
};

export const noSms = {
  send: async (): Promise<SendResult> => ({ ok: false, retryable: false, error: 'no sms here' }),
};

/**
 * An email provider that records what it sends. `gate` holds every send until it resolves; `fail`
 * answers every send with that failure; `before` runs first and may answer a message itself.
 */
export function recordingEmail(
  opts: {
    gate?: Promise<void>;
    fail?: SendResult;
    before?: (m: OutgoingEmail) => Promise<SendResult | undefined>;
  } = {},
) {
  const sent: OutgoingEmail[] = [];
  return {
    sent,
    send: async (m: OutgoingEmail): Promise<SendResult> => {
      await opts.gate;
      const given = (await opts.before?.(m)) ?? opts.fail;
      if (given) return given;
      sent.push(m);
      return { ok: true, providerMessageId: `msg-${sent.length}` };
    },
  };
}
