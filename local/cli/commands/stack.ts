// `touchpoint stop`: stops what the CLI keeps running for the data dir (its background stack, or a
// `serve` holding it); nothing of it runs afterwards. Saying so when nothing ran is not an error.
import { stopDataDirStack } from '../../stack/stop.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';

export async function stopCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw new UsageError('usage: touchpoint stop [--data-dir DIR]');
  const result = await stopDataDirStack(ctx.dataDir);
  ctx.out.data({ dataDir: ctx.dataDir, ...result });
  if (result.stopped.length === 0 && result.orphans.length === 0)
    ctx.out.text(`Nothing was running for ${ctx.dataDir}.`);
  for (const s of result.stopped)
    ctx.out.text(`Stopped the ${s.kind === 'stack' ? 'background stack' : 'serve'} (pid ${s.pid}).`);
  if (result.orphans.length > 0)
    ctx.out.text(
      `Stopped ${result.orphans.length} process group(s) left behind: ${result.orphans.join(', ')}.`,
    );
}
