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
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    appendFileSync(capture, `${JSON.stringify({ ...kept, receivedAt: new Date().toISOString() })}\n`);
  };
}

await startServer({ host: values.host ?? '127.0.0.1', port: Number(values.port ?? 0) });
process.stdout.write('ses-local: listening\n');
