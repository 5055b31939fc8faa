// Every message the local email and SMS servers received for a data dir, as the contract's outbox
// shows them: read from the files those servers keep there, so no server needs to run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EMAIL_CAPTURE_FILE } from '../ses-local.js';
import { readSinkFile, type SinkMessage } from '../sms-sink.js';

export const outboxMessageSchema = z.object({
  messageId: z.string(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  from: z.string(),
  receivedAt: z.string(),
  subject: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  text: z.string().optional(),
  html: z.string().optional(),
  messageType: z.string().optional(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OutboxChannel = OutboxMessage['channel'];

/** A line of the email capture file: what aws-ses-v2-local stored, plus when it arrived. */
const capturedEmailSchema = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional(), html: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Epoch seconds (the server's own clock). */
  at: z.number(),
  receivedAt: z.string().optional(),
});
export type CapturedEmail = z.infer<typeof capturedEmailSchema>;

export function emailToOutbox(mail: CapturedEmail): OutboxMessage {
  return {
    messageId: mail.messageId,
    channel: 'email',
    to: mail.destination.to.join(', '),
    from: mail.from,
    receivedAt: mail.receivedAt ?? new Date(mail.at * 1000).toISOString(),
    subject: mail.subject,
    ...(mail.headers && { headers: Object.fromEntries(mail.headers.map((h) => [h.name, h.value])) }),
    ...(mail.body.text !== undefined && { text: mail.body.text }),
    ...(mail.body.html !== undefined && { html: mail.body.html }),
  };
}

export function smsToOutbox(sms: SinkMessage): OutboxMessage {
  return {
    messageId: sms.messageId,
    channel: 'sms',
    to: sms.to,
    // The sink records no sender when the request names none (the local runtime always does).
    from: sms.originationIdentity ?? '',
    receivedAt: sms.receivedAt,
    text: sms.body,
    ...(sms.messageType !== undefined && { messageType: sms.messageType }),
  };
}

/** Oldest first; a stable sort keeps each server's own order for messages of the same instant. */
export function mergeOutbox(...lists: readonly OutboxMessage[][]): OutboxMessage[] {
  return lists
    .flat()
    .map((m, i) => ({ m, i, t: Date.parse(m.receivedAt) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ m }) => m);
}

export function readCapturedEmails(dataDir: string): CapturedEmail[] {
  const file = join(dataDir, EMAIL_CAPTURE_FILE);
  if (!existsSync(file)) return [];
  const mails: CapturedEmail[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    // A line cut short by a crash mid-append is skipped, as the server does when it reloads.
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = capturedEmailSchema.safeParse(json);
    if (parsed.success) mails.push(parsed.data);
  }
  return mails;
}

export function readOutbox(dataDir: string, channel?: OutboxChannel): OutboxMessage[] {
  const email = channel === 'sms' ? [] : readCapturedEmails(dataDir).map(emailToOutbox);
  const sms = channel === 'email' ? [] : readSinkFile(dataDir).map(smsToOutbox);
  return mergeOutbox(email, sms);
}
