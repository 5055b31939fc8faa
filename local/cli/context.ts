// Every command imports this module: it must stay light (no AWS SDK, CDK or libphonenumber), so the
// embedded runtime is loaded only by the commands that open it (serve, demo).

import { isSaneYear } from '../../shared/domain/limits.js';
import type { Embedded, OpenOptions } from '../runtime.js';
import { UsageError } from './errors.js';
import type { Out } from './output.js';

/** `--api URL [--token T]`: run the command against that API instead of the embedded store. */
export interface RemoteTarget {
  url: string;
  token?: string | undefined;
}

export interface CommandContext {
  out: Out;
  dataDir: string;
  args: string[];
  remote?: RemoteTarget | undefined;
  options: {
    date?: string | undefined;
    campaign?: string | undefined;
    customer?: string | undefined;
    reason?: string | undefined;
    port?: string | undefined;
    once?: boolean | undefined;
    from?: string | undefined;
    to?: string | undefined;
    format?: string | undefined;
    channel?: string | undefined;
    run?: string | undefined;
    now?: boolean | undefined;
    step?: string | undefined;
    occasion?: string | undefined;
    html?: string | undefined;
    role?: string | undefined;
    limit?: string | undefined;
  };
}

export type Command = (ctx: CommandContext) => Promise<void>;

/** Opens the embedded stack for the command, runs `fn`, and always stops what it started. */
export async function withEmbedded<T>(
  ctx: CommandContext,
  opts: Omit<OpenOptions, 'dataDir'>,
  fn: (env: Embedded) => Promise<T>,
): Promise<T> {
  const { openEmbedded } = await import('../runtime.js');
  // The data dir keeps personal data and keys: what this command and its servers write is the user's alone.
  process.umask(0o077);
  const env = await openEmbedded({ dataDir: ctx.dataDir, ...opts });
  const onSignal = () => {
    void env.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(env);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await env.stop();
  }
}

export function requireArgs(ctx: CommandContext, names: string[], usage: string): string[] {
  if (ctx.args.length !== names.length) throw new UsageError(`usage: ${usage}`);
  return ctx.args;
}

/**
 * YYYY-MM-DD naming a real day. Checked by hand rather than with the domain's `calendarDate`
 * (luxon + the documents module, ~10x the import time of this whole module); the API validates
 * the date again with the domain's schema.
 */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isSaneYear(year)) return false;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day;
}

export function requireDate(ctx: CommandContext, usage: string): string {
  const date = ctx.options.date;
  if (!date) throw new UsageError(`--date YYYY-MM-DD is required: ${usage}`);
  if (!isCalendarDate(date)) throw new UsageError(`--date must be a calendar date YYYY-MM-DD, got ${date}`);
  return date;
}
