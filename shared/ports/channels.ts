// The email and SMS providers (SES v2 and End User Messaging SMS in the cloud, local servers locally).

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** For List-Unsubscribe headers. */
  unsubscribeUrl: string;
  tags: Record<string, string>;
}

export interface OutgoingSms {
  to: string;
  text: string;
  messageType: 'TRANSACTIONAL' | 'PROMOTIONAL';
  tags: Record<string, string>;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; retryable: boolean; error: string };

export interface EmailSender {
  send(message: OutgoingEmail): Promise<SendResult>;
}
export interface SmsSender {
  send(message: OutgoingSms): Promise<SendResult>;
}
