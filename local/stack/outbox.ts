// Every message the local email and SMS servers received for a data dir, as the contract's outbox
// shows them: read from the files those servers keep there, so no server needs to run. The GDPR
// erase forgets one customer's messages here too (LocalOutbox, at the end).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ErasureSubject, PersonalDataStore } from '../../shared/ports/customer-data.js';
import { EMAIL_CAPTURE_FILE } from '../ses-local.js';
import {
  FORGET_PATH,
  type ForgetRequest,
  readSinkFile,
  type SinkMessage,
  smsIsForgotten,
  writeSinkFile,
} from '../sms-sink.js';

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

/** A local channel server did not take a forget request (an older server: `touchpoint stop` restarts it). */
export class OutboxEraseError extends Error {
  constructor(
    readonly endpoint: string,
    readonly detail: string,
  ) {
    super(`the local server at ${endpoint} did not forget the messages: ${detail}`);
    this.name = 'OutboxEraseError';
  }
}

const forgotAnswer = z.object({ removed: z.number().int().min(0) });

/**
 * Asks a running channel server to forget the messages (it alone writes its file, so it must do the
 * rewrite); undefined when no server is there to ask: the file is then ours to rewrite.
 */
async function forgetThrough(
  endpoint: string | undefined,
  request: ForgetRequest,
): Promise<number | undefined> {
  if (endpoint === undefined) return undefined;
  let response: Response;
  try {
    response = await fetch(new URL(FORGET_PATH, endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    return undefined; // not listening any more
  }
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = forgotAnswer.safeParse(body);
  if (!response.ok || !parsed.success)
    throw new OutboxEraseError(endpoint, `answered ${response.status} ${JSON.stringify(body)}`);
  return parsed.data.removed;
}

const emailRecipients = z.looseObject({
  messageId: z.string(),
  destination: z.looseObject({
    to: z.array(z.string()).default([]),
    cc: z.array(z.string()).default([]),
    bcc: z.array(z.string()).default([]),
  }),
});
const bareAddress = (a: string): string => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase();

/** The capture file without the forgotten emails (the rule ses-local-server.mjs applies in the server). */
function forgetInEmailFile(dataDir: string, request: ForgetRequest): number {
  const file = join(dataDir, EMAIL_CAPTURE_FILE);
  if (!existsSync(file)) return 0;
  const addresses = new Set(request.addresses.map(bareAddress));
  const ids = new Set(request.messageIds);
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const kept = lines.filter((line) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // A line cut short by a crash: kept unless it names what is forgotten.
      const text = line.toLowerCase();
      return ![...ids, ...addresses].some((v) => text.includes(v.toLowerCase()));
    }
    const mail = emailRecipients.safeParse(json);
    if (!mail.success) return true;
    const { to, cc, bcc } = mail.data.destination;
    return !(
      ids.has(mail.data.messageId) || [...to, ...cc, ...bcc].some((a) => addresses.has(bareAddress(a)))
    );
  });
  if (kept.length === lines.length) return 0;
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  renameSync(temp, file);
  return lines.length - kept.length;
}

function forgetInSinkFile(dataDir: string, request: ForgetRequest): number {
  const messages = readSinkFile(dataDir);
  const kept = messages.filter((m) => !smsIsForgotten(request)(m));
  if (kept.length < messages.length) writeSinkFile(dataDir, kept);
  return messages.length - kept.length;
}

/**
 * The outbox as a store of personal data: the GDPR erase removes the customer's messages (by
 * provider message id, and every message to one of their addresses) from the running servers,
 * which rewrite their own files, or from the files directly when no server runs.
 */
export class LocalOutbox implements PersonalDataStore {
  readonly name = 'localOutbox';

  constructor(private readonly opts: { dataDir: string; sesEndpoint?: string; smsEndpoint?: string }) {}

  async erase(subject: ErasureSubject): Promise<number> {
    const request: ForgetRequest = { messageIds: subject.messageIds, addresses: subject.addresses };
    const email =
      (await forgetThrough(this.opts.sesEndpoint, request)) ?? forgetInEmailFile(this.opts.dataDir, request);
    const sms =
      (await forgetThrough(this.opts.smsEndpoint, request)) ?? forgetInSinkFile(this.opts.dataDir, request);
    return email + sms;
  }
}
