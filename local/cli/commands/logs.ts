// `touchpoint logs [--run ID] [--json]`: the handlers' log lines, as the local runtime's sink wrote
// them into <data dir>/logs/ (shared/observability/sink.ts), oldest first. Reads the files
// directly: no stack is started. Each line was masked when written; nothing here unmasks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE_PREFIX } from '../../../shared/observability/sink.js';
import type { Command } from '../context.js';

type Line = Record<string, unknown>;

export function readLogLines(dataDir: string): Line[] {
  const dir = join(dataDir, 'logs');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith(LOG_FILE_PREFIX) && f.endsWith('.ndjson'));
  } catch {
    return [];
  }
  const lines: Line[] = [];
  // File names carry the UTC date, so name order is time order.
  for (const file of files.sort()) {
    for (const text of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!text.trim()) continue;
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          lines.push({ ...parsed });
      } catch {
        // A line cut short by a crash: skip it rather than hide the rest.
      }
    }
  }
  return lines;
}

export const logsCommand: Command = async (ctx) => {
  const runId = ctx.options.run;
  const lines = readLogLines(ctx.dataDir).filter((l) => runId === undefined || l.runId === runId);
  if (ctx.out.json) {
    // One JSON line per record, as CloudWatch shows them.
    for (const l of lines) process.stdout.write(`${JSON.stringify(l)}\n`);
    return;
  }
  for (const l of lines) {
    const { timestamp, level, message, service, ...rest } = l;
    ctx.out.text(
      `${String(timestamp)} ${String(level).padEnd(5)} ${String(service)} ${String(message)} ${JSON.stringify(rest)}`,
    );
  }
  if (lines.length === 0) ctx.out.note(runId ? `no log lines for run ${runId}` : 'no log lines yet');
};
