// The last check before the provider: a touch whose window closed while it waited for the rate limit
// (or between retries) is not sent. Wraps the provider inside the throttle, so it runs per attempt.
import type { SendResult } from '../ports/channels.js';
import type { Clock } from '../ports/clock.js';

interface Guarded {
  notAfter?: string;
}

export const WINDOW_CLOSED_ERROR = 'send window closed while waiting to send: not sent';

export const windowGuarded = <M extends Guarded>(
  sender: { send(message: M): Promise<SendResult> },
  clock: Clock,
): { send(message: M): Promise<SendResult> } => ({
  send: async (message) => {
    if (message.notAfter !== undefined && clock.now().getTime() >= Date.parse(message.notAfter))
      return { ok: false, retryable: false, error: WINDOW_CLOSED_ERROR, windowClosed: true };
    return sender.send(message);
  },
});
