import { calendarDate } from '../../shared/domain/documents.js';
import { type Embedded, type OpenOptions, openEmbedded } from '../runtime.js';
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
  };
}

export type Command = (ctx: CommandContext) => Promise<void>;

/** Opens the embedded stack for the command, runs `fn`, and always stops what it started. */
export async function withEmbedded<T>(
  ctx: CommandContext,
  opts: Omit<OpenOptions, 'dataDir'>,
  fn: (env: Embedded) => Promise<T>,
): Promise<T> {
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

export function requireDate(ctx: CommandContext, usage: string): string {
  const date = ctx.options.date;
  if (!date) throw new UsageError(`--date YYYY-MM-DD is required: ${usage}`);
  if (!calendarDate.safeParse(date).success)
    throw new UsageError(`--date must be a calendar date YYYY-MM-DD, got ${date}`);
  return date;
}
