// `touchpoint serve`: keeps the embedded stack, the mailbox and the SMS page up for other commands.
import { type CommandContext, withEmbedded } from '../context.js';

export async function serveCommand(ctx: CommandContext): Promise<void> {
  await withEmbedded(ctx, { channels: true, own: true }, async (env) => {
    ctx.out.text(`Mailbox http://${new URL(env.info.mailboxUrl ?? 'http://127.0.0.1').host}`);
    ctx.out.text(`SMS ${env.info.smsPageUrl ?? '-'}`);
    ctx.out.text('Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  });
}
