// deliveries (the ledger) and the manual suppression list.
import { InvalidAddressError, normalizeAddress } from '../../../shared/domain/addresses.js';
import { suppressionReason } from '../../../shared/domain/documents.js';
import { type CommandContext, withEmbedded } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';
import { showDeliveries } from '../present.js';

export async function deliveriesCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0)
    throw new UsageError('usage: touchpoint deliveries [--campaign ID] [--customer ID] [--json]');
  if (ctx.remote) return (await import('../remote/runs.js')).remoteDeliveries(ctx);
  const { campaign, customer } = ctx.options;
  const rows = await withEmbedded(ctx, {}, ({ deps }) =>
    deps.store.listDeliveries({
      ...(campaign && { campaignId: campaign }),
      ...(customer && { customerId: customer }),
    }),
  );
  showDeliveries(ctx.out, rows);
}

function normalized(address: string): string {
  try {
    return normalizeAddress(address).address;
  } catch (e) {
    if (e instanceof InvalidAddressError)
      throw new RefusedError(e.message, [{ path: 'address', message: e.message }]);
    throw e;
  }
}

export async function suppressionCommand(ctx: CommandContext): Promise<void> {
  const [sub, address, ...extra] = ctx.args;
  const usage =
    'touchpoint suppression add ADDRESS --reason bounced|complained|unsubscribed | remove ADDRESS | list';
  if (extra.length > 0) throw new UsageError(`usage: ${usage}`);
  switch (sub) {
    case 'add': {
      if (!address) throw new UsageError(`usage: ${usage}`);
      const reason = suppressionReason.safeParse(ctx.options.reason);
      if (!reason.success) throw new UsageError('--reason must be bounced, complained or unsubscribed');
      const normal = normalized(address);
      await withEmbedded(ctx, {}, ({ deps }) =>
        deps.store.addSuppression({
          address: normal,
          reason: reason.data,
          addedAt: new Date().toISOString(),
          source: 'manual',
        }),
      );
      ctx.out.data({ ok: true, address: normal, reason: reason.data });
      ctx.out.text(`suppressed ${normal} (${reason.data})`);
      return;
    }
    case 'remove': {
      if (!address) throw new UsageError(`usage: ${usage}`);
      const normal = normalized(address);
      const removed = await withEmbedded(ctx, {}, ({ deps }) => deps.store.removeSuppression(normal));
      ctx.out.data({ ok: true, address: normal, removed });
      ctx.out.text(
        removed ? `removed ${normal} from the suppression list` : `${normal} was not on the suppression list`,
      );
      return;
    }
    case 'list': {
      if (address) throw new UsageError(`usage: ${usage}`);
      const entries = await withEmbedded(ctx, {}, ({ deps }) => deps.store.listSuppressions());
      ctx.out.data({ suppressions: entries, count: entries.length });
      ctx.out.text(table(entries, ['address', 'reason', 'source', 'addedAt']));
      return;
    }
    default:
      throw new UsageError(`usage: ${usage}`);
  }
}
