// aws-ses-v2-local with a memory: every message it stores is also appended to a file in the data
// dir, and the messages already in that file are put back into its store at start, so the mailbox
// page shows earlier messages and `touchpoint outbox` can list them after the server is gone.
// Plain JavaScript run by node directly: it starts with every `touchpoint` stack and needs no tsx.
//
// Why a hook in its store rather than a proxy in front of it: every send path of the server (v1
// SendEmail and SendRawEmail, v2 SendEmail and SendBulkEmail) ends in `store.saveEmail`, which it
// calls through the module's exports, so one wrapper sees each stored message exactly as the mailbox
// page shows it; a proxy would have to re-parse MIME and still could not refill the page's store.
// The server is pinned (package.json), and test/emulator/stack covers this hook.
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const store = require('aws-ses-v2-local/dist/store.js');
const { default: startServer } = require('aws-ses-v2-local/dist/index.js');

const { values } = parseArgs({
  options: { host: { type: 'string' }, port: { type: 'string' }, capture: { type: 'string' } },
});
const capture = values.capture;

if (capture) {
  if (existsSync(capture)) {
    const kept = store.getStoreReadonly();
    for (const line of readFileSync(capture, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const { receivedAt: _receivedAt, ...email } = JSON.parse(line);
        kept.emails.push(email);
      } catch {
        // A line cut short by a crash mid-append: the others still count.
        process.stderr.write(`ses-local: skipped an unreadable line of ${capture}\n`);
      }
    }
  }
  const save = store.saveEmail;
  store.saveEmail = (email) => {
    save(email);
    // Attachments are Buffers of raw MIME parts; the outbox keeps the rendered message only.
    const { attachments: _attachments, ...kept } = email;
    // Addresses and message bodies: private to the user (0600), like every file of the data dir.
    appendFileSync(capture, `${JSON.stringify({ ...kept, receivedAt: new Date().toISOString() })}\n`, {
      mode: 0o600,
    });
  };
}

// The GDPR erase: POST /touchpoint/forget {messageIds, addresses} removes one customer's messages
// from the store the mailbox page shows and from the capture file, here, from filter to rename
// without an await, so no message saved meanwhile is lost. The same rule as local/stack/outbox.ts,
// which rewrites the file itself when no server runs.
const FORGET_PATH = '/touchpoint/forget';
const bareAddress = (a) => (/<([^>]+)>/.exec(String(a))?.[1] ?? String(a)).trim().toLowerCase();
const recipients = (email) =>
  ['to', 'cc', 'bcc'].flatMap((f) => email?.destination?.[f] ?? []).map(bareAddress);

function forget(messageIds, addresses) {
  const ids = new Set(messageIds);
  const to = new Set(addresses.map(bareAddress));
  const forgotten = (email) => ids.has(email?.messageId) || recipients(email).some((a) => to.has(a));
  const kept = store.getStoreReadonly();
  const before = kept.emails.length;
  kept.emails = kept.emails.filter((e) => !forgotten(e));
  if (capture && existsSync(capture)) {
    const lines = readFileSync(capture, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    const keptLines = lines.filter((line) => {
      try {
        return !forgotten(JSON.parse(line));
      } catch {
        // A line cut short by a crash: kept unless it names what is forgotten.
        return ![...ids, ...to].some((v) => line.toLowerCase().includes(v.toLowerCase()));
      }
    });
    if (keptLines.length < lines.length) {
      const temp = `${capture}.${process.pid}.tmp`;
      writeFileSync(temp, keptLines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
      renameSync(temp, capture);
    }
  }
  return before - kept.emails.length;
}

function forgetRoute(request, response) {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size <= 1024 * 1024) chunks.push(chunk);
  });
  request.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    const strings = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    const answer = (status, json) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(json));
    };
    if (size > 1024 * 1024 || !strings(body?.messageIds) || !strings(body?.addresses))
      answer(400, { message: 'expected {"messageIds": [string], "addresses": [string]}' });
    else answer(200, { removed: forget(body.messageIds, body.addresses) });
  });
}

// Opens and clicks, as a recipient's mail client would cause them (docs/delivery-feedback.md): the
// mailbox page links to a page listing each message with an "open" and a "click" button; a press is
// appended to email-engagement.ndjson beside the capture file, which the local stack's feedback
// (local/provider-feedback.ts) turns into the SES Open or Click event delivery-events receives.
const ENGAGE_PAGE = '/touchpoint/engagement';
const ENGAGE_PATH = '/touchpoint/engage';
const engagementFile = capture ? join(dirname(capture), 'email-engagement.ndjson') : undefined;
const escapeHtml = (v) =>
  String(v).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const firstLink = (email) => /https?:\/\/[^\s"'<>]+/.exec(email?.body?.text ?? email?.body?.html ?? '')?.[0];

function engagementPage(response, note) {
  const emails = [...store.getStoreReadonly().emails].reverse().slice(0, 200);
  const rows = emails
    .map((e) => {
      const form = (kind, label) =>
        `<form method="post" action="${ENGAGE_PATH}" style="display:inline">` +
        `<input type="hidden" name="messageId" value="${escapeHtml(e.messageId)}">` +
        `<input type="hidden" name="kind" value="${kind}"><button>${label}</button></form>`;
      return (
        `<tr><td>${escapeHtml(recipients(e).join(', '))}</td><td>${escapeHtml(e.subject ?? '')}</td>` +
        `<td>${form('Open', 'open')} ${form('Click', 'click')}</td></tr>`
      );
    })
    .join('');
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(
    `<!doctype html><meta charset="utf-8"><title>Opens and clicks</title>` +
      `<p><a href="/">← mailbox</a></p><h1>Opens and clicks</h1>` +
      (note ? `<p role="status">${escapeHtml(note)}</p>` : '') +
      `<p>Each button reports what SES reports when the recipient opens the message or clicks its first link.</p>` +
      `<table><tr><th>to</th><th>subject</th><th></th></tr>${rows}</table>`,
  );
}

function engageRoute(request, response) {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size <= 16 * 1024) chunks.push(chunk);
  });
  request.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    const form = (request.headers['content-type'] ?? '').includes('json')
      ? (() => {
          try {
            return JSON.parse(text);
          } catch {
            return {};
          }
        })()
      : Object.fromEntries(new URLSearchParams(text));
    const email = store.getStoreReadonly().emails.find((e) => e.messageId === form?.messageId);
    const kind = form?.kind;
    if (size > 16 * 1024 || !email || (kind !== 'Open' && kind !== 'Click') || !engagementFile) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ message: 'expected messageId (of a stored message) and kind Open or Click' }),
      );
      return;
    }
    const link = kind === 'Click' ? firstLink(email) : undefined;
    appendFileSync(
      engagementFile,
      `${JSON.stringify({ messageId: email.messageId, kind, ...(link && { link }), at: new Date().toISOString() })}\n`,
      { mode: 0o600 },
    );
    if ((request.headers.accept ?? '').includes('json')) {
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ accepted: true }));
    } else
      engagementPage(
        response,
        `${kind === 'Open' ? 'Opened' : 'Clicked'}: ${email.subject ?? email.messageId}`,
      );
  });
}

// The mailbox page, with a link to the opens-and-clicks page.
const mailboxHtml = readFileSync(require.resolve('aws-ses-v2-local/static/index.html'), 'utf8').replace(
  '<body>',
  `<body><a href="${ENGAGE_PAGE}" style="position:fixed;right:1em;bottom:1em;z-index:9">Opens and clicks →</a>`,
);

const server = await startServer({ host: values.host ?? '127.0.0.1', port: Number(values.port ?? 0) });
// The forget route goes in front of the server's own (express) request handler.
const [serverHandler] = server.listeners('request');
server.removeAllListeners('request');
server.on('request', (request, response) => {
  const path = (request.url ?? '').split('?')[0];
  if (request.method === 'POST' && path === FORGET_PATH) forgetRoute(request, response);
  else if (request.method === 'POST' && path === ENGAGE_PATH) engageRoute(request, response);
  else if (request.method === 'GET' && path === ENGAGE_PAGE) engagementPage(response);
  else if (request.method === 'GET' && path === '/') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(mailboxHtml);
  } else serverHandler(request, response);
});
process.stdout.write('ses-local: listening\n');
