// `touchpoint outbox [--channel email|sms]`: what the local email and SMS servers received for the
// data dir, oldest first. Reads the files they keep there: works whether or not a stack is up.
import { type OutboxChannel, readOutbox } from '../../stack/outbox.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { table } from '../output.js';

const USAGE = 'touchpoint outbox [--channel email|sms] [--json]';

const oneLine = (text: string, max = 60): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function parseChannel(value: string | undefined): OutboxChannel | undefined {
  if (value === undefined || value === 'email' || value === 'sms') return value;
  throw new UsageError(`--channel must be email or sms, got ${value}: ${USAGE}`);
}

export async function outboxCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw new UsageError(`usage: ${USAGE}`);
  const messages = readOutbox(ctx.dataDir, parseChannel(ctx.options.channel));
  ctx.out.data({ messages });
  ctx.out.text(
    table(
      messages.map((m) => ({
        receivedAt: m.receivedAt,
        channel: m.channel,
        to: m.to,
        message: oneLine(m.subject ?? m.text ?? ''),
      })),
      ['receivedAt', 'channel', 'to', 'message'],
    ),
  );
}
