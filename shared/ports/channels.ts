// The email and SMS providers (SES v2 and End User Messaging SMS in the cloud, local servers locally).

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The display name of the From address (settings `sender.fromName`); absent: the configured one. */
  fromName?: string;
  /** For List-Unsubscribe headers. */
  unsubscribeUrl: string;
  tags: Record<string, string>;
  /** The touch's window end (ISO instant): checked when the provider is called, after any rate wait. */
  notAfter?: string;
}

export interface OutgoingSms {
  to: string;
  text: string;
  messageType: 'TRANSACTIONAL' | 'PROMOTIONAL';
  tags: Record<string, string>;
  /** The touch's window end (ISO instant): checked when the provider is called, after any rate wait. */
  notAfter?: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      /** Throttled, or refused before any byte reached the provider: another attempt cannot duplicate. */
      retryable: boolean;
      error: string;
      /** The provider may have accepted it (5xx, timeout, reset): never retried, settled `unknown`. */
      maybeSent?: boolean;
      /** Not sent because the touch's window closed before the provider was called. */
      windowClosed?: boolean;
    };

export interface EmailSender {
  send(message: OutgoingEmail): Promise<SendResult>;
}
export interface SmsSender {
  send(message: OutgoingSms): Promise<SendResult>;
}
