// The local runtime's log sink: every handler log record, as one JSON line, appended to
// `<dir>/handlers-<UTC date>.ndjson`. Appends are synchronous so a crash loses no line and lines of
// concurrent handlers never interleave within a line.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { installLogSink, type LogRecord } from './log.js';

export const LOG_FILE_PREFIX = 'handlers-';

export function logFileFor(dir: string, at: Date): string {
  return join(dir, `${LOG_FILE_PREFIX}${at.toISOString().slice(0, 10)}.ndjson`);
}

/** Installs the file sink for this process; returns the uninstall. */
export function installFileLogSink(dir: string): () => void {
  // Private to the user (0700/0600), like the rest of the data dir.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return installLogSink((record: LogRecord) => {
    appendFileSync(logFileFor(dir, new Date()), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  });
}
