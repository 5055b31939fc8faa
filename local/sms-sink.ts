// A stand-in for AWS End User Messaging SMS: speaks enough of its awsJson1_0 protocol that the real
// SDK client, pointed here, sends for real; records what it got and shows it on a page.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';

const sinkMessageSchema = z.object({
  messageId: z.string(),
  to: z.string(),
  body: z.string(),
  messageType: z.string().optional(),
  originationIdentity: z.string().optional(),
  configurationSetName: z.string().optional(),
  context: z.record(z.string(), z.string()).optional(),
  receivedAt: z.string(),
});
export type SinkMessage = z.infer<typeof sinkMessageSchema>;

/** Error names the real service returns for SendTextMessage, with their HTTP status. */
const FAULT_STATUS = {
  ThrottlingException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 400,
  ValidationException: 400,
  ConflictException: 400,
  InternalServerException: 500,
} as const;
export type SinkFault = keyof typeof FAULT_STATUS;

export interface SmsSink {
  /** For `new PinpointSMSVoiceV2Client({ endpoint, region, credentials })`. */
  endpoint: string;
  pageUrl: string;
  /** Messages accepted, oldest first. */
  messages(): SinkMessage[];
  /** SendTextMessage requests received, failed ones included. */
  requestCount(): number;
  /** The next `count` SendTextMessage requests fail with `fault`. */
  failNext(count: number, fault: SinkFault): void;
  clear(): void;
  /**
   * Where the reply box (`/reply`) sends a customer's message: the inbound SMS handler, the same
   * one the cloud's two-way topic invokes. Without one the box answers 503.
   */
  onReply(handler: ReplyHandler): void;
  stop(): Promise<void>;
}

/** Handles an SMS from `from` to our number; returns one line saying what it did. */
export type ReplyHandler = (from: string, text: string) => Promise<string>;

export interface SmsSinkOptions {
  port?: number;
  /** When given, messages are also kept in `<dir>/sms-messages.json` for other processes to show. */
  dir?: string;
  now?: () => Date;
}

export class SmsSinkError extends Error {
  override readonly name = 'SmsSinkError';
}

const SINK_FILE = 'sms-messages.json';
const MAX_BODY_BYTES = 1024 * 1024;
const TARGET_PREFIX = 'PinpointSMSVoiceV2.';

const sendTextMessageSchema = z.object({
  DestinationPhoneNumber: z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number'),
  MessageBody: z.string().min(1).max(1600),
  MessageType: z.enum(['TRANSACTIONAL', 'PROMOTIONAL']).optional(),
  OriginationIdentity: z.string().min(1).optional(),
  ConfigurationSetName: z.string().min(1).optional(),
  Context: z.record(z.string(), z.string()).optional(),
});

/** Messages another process's sink recorded in `dir`; empty when there are none yet. */
export const readSinkFile = (dir: string): SinkMessage[] => {
  const file = join(dir, SINK_FILE);
  if (!existsSync(file)) return [];
  const parsed = z.array(sinkMessageSchema).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new SmsSinkError(`${file} is not a list of SMS messages`);
  return parsed.data;
};

export const writeSinkFile = (dir: string, messages: readonly SinkMessage[]): void => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, SINK_FILE);
  // Write then rename, so a reader never sees half a file; phone numbers and texts: 0600.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(messages, null, 2), { mode: 0o600 });
  renameSync(temp, file);
};

/** What the GDPR erase asks a local channel server to forget: one customer's messages. */
export const forgetRequestSchema = z.strictObject({
  messageIds: z.array(z.string()),
  addresses: z.array(z.string()),
});
export type ForgetRequest = z.infer<typeof forgetRequestSchema>;
/** Where the local channel servers take a forget request (POST, JSON body, answers `{ removed }`). */
export const FORGET_PATH = '/touchpoint/forget';

/** Whether an SMS belongs to the customer being erased: by provider message id or by its recipient. */
export const smsIsForgotten =
  (request: ForgetRequest) =>
  (m: SinkMessage): boolean =>
    request.messageIds.includes(m.messageId) || request.addresses.includes(m.to);

/** The reply box: a page of its own, so the list's auto-refresh never wipes what is being typed. */
export const renderReplyPage = (opts: { from?: string; result?: string } = {}): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Touchpoint SMS: reply as a customer</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}label{display:block;margin:.6rem 0}
input,textarea{font:inherit;width:28rem;max-width:100%}.result{background:#eef;padding:.6rem}</style>
</head><body><h1>Reply as a customer</h1>
<p>What a phone sends to our number: STOP, START, HELP, 退订, TD, 帮助 … or anything else (an <code>sms.reply</code> event).
The same handler as the cloud's two-way SMS topic receives it. <a href="/">Back to the messages</a></p>
${opts.result === undefined ? '' : `<p class="result">${escapeHtml(opts.result)}</p>`}
<form method="post" action="/reply">
<label>From (E.164) <input name="from" required value="${escapeHtml(opts.from ?? '')}" placeholder="+14155550123"></label>
<label>Text <textarea name="text" required rows="3" maxlength="1600"></textarea></label>
<button type="submit">Send to Touchpoint</button>
</form></body></html>`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const renderSinkPage = (messages: readonly SinkMessage[]): string => {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to)}</td><td>${escapeHtml(m.messageType ?? '')}</td>` +
        `<td class="body">${escapeHtml(m.body)}</td><td>${escapeHtml(JSON.stringify(m.context ?? {}))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Touchpoint SMS sink</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}.body{white-space:pre-wrap}</style>
</head><body><h1>SMS sink</h1><p>${messages.length} message(s), newest first. <a href="/reply">Reply as a customer</a></p>
<table><thead><tr><th>Received</th><th>To</th><th>Type</th><th>Body</th><th>Context</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
};

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

const sendJson = (response: ServerResponse, status: number, body: unknown, contentType: string): void => {
  response.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });
  response.end(JSON.stringify(body));
};

const AWS_JSON = 'application/x-amz-json-1.0';

/** awsJson1_0 errors: the SDK reads the name from `__type` (or the x-amzn-errortype header). */
const sendAwsError = (response: ServerResponse, status: number, type: string, message: string): void => {
  response.setHeader('x-amzn-errortype', type);
  sendJson(response, status, { __type: type, message }, AWS_JSON);
};

export const startSmsSink = async (options: SmsSinkOptions = {}): Promise<SmsSink> => {
  const now = options.now ?? (() => new Date());
  const dir = options.dir;
  const stored: SinkMessage[] = dir === undefined ? [] : readSinkFile(dir);
  const faults: SinkFault[] = [];
  let requests = 0;
  let replyHandler: ReplyHandler | undefined;

  const sendTextMessage = (raw: string, response: ServerResponse): void => {
    requests += 1;
    const fault = faults.shift();
    if (fault !== undefined) {
      sendAwsError(response, FAULT_STATUS[fault], fault, `injected ${fault}`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      sendAwsError(response, 400, 'SerializationException', 'body is not JSON');
      return;
    }
    const parsed = sendTextMessageSchema.safeParse(json);
    if (!parsed.success) {
      sendAwsError(response, 400, 'ValidationException', z.prettifyError(parsed.error));
      return;
    }
    const input = parsed.data;
    const message: SinkMessage = {
      messageId: randomUUID(),
      to: input.DestinationPhoneNumber,
      body: input.MessageBody,
      receivedAt: now().toISOString(),
      ...(input.MessageType === undefined ? {} : { messageType: input.MessageType }),
      ...(input.OriginationIdentity === undefined ? {} : { originationIdentity: input.OriginationIdentity }),
      ...(input.ConfigurationSetName === undefined
        ? {}
        : { configurationSetName: input.ConfigurationSetName }),
      ...(input.Context === undefined ? {} : { context: input.Context }),
    };
    stored.push(message);
    if (dir !== undefined) writeSinkFile(dir, stored);
    sendJson(response, 200, { MessageId: message.messageId }, AWS_JSON);
  };

  const replyPage = (
    response: ServerResponse,
    status: number,
    opts: Parameters<typeof renderReplyPage>[0],
  ) => {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(renderReplyPage(opts));
  };

  const reply = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === 'GET') {
      replyPage(response, 200, { from: stored.at(-1)?.to ?? '' });
      return;
    }
    // Another site's page must not post here (a form can reach 127.0.0.1): same origin, or none (curl).
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) {
      replyPage(response, 403, { result: 'Refused: the form was posted from another origin.' });
      return;
    }
    const form = new URLSearchParams(await readBody(request));
    const from = form.get('from')?.trim() ?? '';
    const text = form.get('text') ?? '';
    if (replyHandler === undefined) {
      replyPage(response, 503, {
        from,
        result: 'No inbound SMS handler runs with this sink (start touchpoint serve).',
      });
      return;
    }
    const result = await replyHandler(from, text).catch(
      (error: unknown) => `Failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    replyPage(response, 200, { from, result });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    if (request.method === 'GET' && path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(renderSinkPage(stored));
      return;
    }
    if (path === '/reply' && (request.method === 'GET' || request.method === 'POST')) {
      await reply(request, response);
      return;
    }
    if (request.method === 'GET' && path === '/messages') {
      sendJson(response, 200, stored, 'application/json');
      return;
    }
    if (request.method === 'POST' && path === FORGET_PATH) {
      const raw = await readBody(request);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const parsed = forgetRequestSchema.safeParse(json);
      if (!parsed.success) {
        sendJson(response, 400, { message: z.prettifyError(parsed.error) }, 'application/json');
        return;
      }
      // In this process, from filter to file: no message received meanwhile is lost.
      const kept = stored.filter((m) => !smsIsForgotten(parsed.data)(m));
      const removed = stored.length - kept.length;
      stored.splice(0, stored.length, ...kept);
      if (dir !== undefined && removed > 0) writeSinkFile(dir, stored);
      sendJson(response, 200, { removed }, 'application/json');
      return;
    }
    if (request.method === 'POST' && path === '/') {
      const body = await readBody(request);
      const target = request.headers['x-amz-target'];
      const operation =
        typeof target === 'string' && target.startsWith(TARGET_PREFIX)
          ? target.slice(TARGET_PREFIX.length)
          : '';
      if (operation === 'SendTextMessage') sendTextMessage(body, response);
      else
        sendAwsError(response, 400, 'UnknownOperationException', `unsupported operation: ${String(target)}`);
      return;
    }
    sendJson(response, 404, { message: 'not found' }, 'application/json');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
      } else if (error instanceof BodyTooLargeError) {
        sendAwsError(response, 413, 'ValidationException', error.message);
      } else {
        sendAwsError(
          response,
          500,
          'InternalServerException',
          error instanceof Error ? error.message : 'error',
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) {
    server.close();
    throw new SmsSinkError('the sink has no TCP address');
  }
  const endpoint = `http://127.0.0.1:${address.port}`;

  return {
    endpoint,
    pageUrl: `${endpoint}/`,
    messages: () => [...stored],
    requestCount: () => requests,
    onReply: (handler) => {
      replyHandler = handler;
    },
    failNext: (count, fault) => {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    clear: () => {
      stored.length = 0;
      faults.length = 0;
      requests = 0;
      if (dir !== undefined) writeSinkFile(dir, stored);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would hold close() open.
        server.closeAllConnections();
      }),
  };
};
