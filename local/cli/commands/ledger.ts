// deliveries (the ledger) and the manual suppression list: clients of /v1/deliveries and
// /v1/suppressions. The API normalizes addresses and refuses invalid ones.
import { suppressionReason } from '../../../shared/domain/channels.js';
import {
  type Delivery,
  deliveryPageSchema,
  deliveryReleasedSchema,
} from '../../../shared/usecases/deliveries/schemas.js';
import {
  suppressionAddedSchema,
  suppressionListSchema,
  suppressionRemovedSchema,
} from '../../../shared/usecases/suppression/schemas.js';
import type { CommandContext } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';
import { showDeliveries } from '../present.js';
import { type ApiClient, ApiProblem, withApi } from '../remote/client.js';

/** Every ledger row the filter selects, following the API's cursors to the last page. */
export async function allDeliveries(
  api: ApiClient,
  filter: { campaign?: string | undefined; customer?: string | undefined },
): Promise<Delivery[]> {
  const rows: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await api.call('GET', '/v1/deliveries', { query: { ...filter, cursor, limit: '500' } });
    const page = deliveryPageSchema.parse(body);
    rows.push(...page.deliveries);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return rows;
}

const RELEASE_USAGE =
  'touchpoint deliveries release --campaign ID --step ID --customer ID --channel email|sms --occasion O';

/**
 * Frees the key of an `unknown` touch (docs/exactly-once.md): only after the provider's logs show
 * it was not sent. The API refuses a touch that is sent, in flight or not held (409).
 */
async function release(ctx: CommandContext): Promise<void> {
  const { campaign, step, customer, channel, occasion } = ctx.options;
  if (ctx.args.length > 1 || !campaign || !step || !customer || !occasion)
    throw new UsageError(`usage: ${RELEASE_USAGE}`);
  if (channel !== 'email' && channel !== 'sms') throw new UsageError('--channel must be email or sms');
  const key = { campaignId: campaign, stepId: step, customerId: customer, channel, occasion };
  await withApi(ctx, async (api) => {
    // A refusal (404 no row; 409 sent, in flight or not held) exits 1 with the API's reason.
    const { body } = await api.call('POST', '/v1/deliveries/release', { body: { json: key } });
    const { delivery } = deliveryReleasedSchema.parse(body);
    ctx.out.data({ ok: true, released: true, delivery });
    ctx.out.text(
      `released ${campaign}/${step} ${channel} for ${customer} (${occasion}): the ledger says failed, so a later run of ${delivery.dueDate} may send it`,
    );
  });
}

export async function deliveriesCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args[0] === 'release') return release(ctx);
  if (ctx.args.length > 0)
    throw new UsageError('usage: touchpoint deliveries [--campaign ID] [--customer ID] [--json]');
  const { campaign, customer } = ctx.options;
  await withApi(ctx, async (api) =>
    showDeliveries(ctx.out, await allDeliveries(api, { campaign, customer })),
  );
}

/** An address the API refused reads as it always has: its reason, at `address`. */
async function refusingAddress<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 422) throw new RefusedError(e.detail ?? e.title, e.errors);
    throw e;
  }
}

const SUPPRESSION_USAGE =
  'touchpoint suppression add ADDRESS --reason bounced|complained|unsubscribed | remove ADDRESS | list';

export async function suppressionCommand(ctx: CommandContext): Promise<void> {
  const [sub, address, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`usage: ${SUPPRESSION_USAGE}`);
  switch (sub) {
    case 'add': {
      if (!address) throw new UsageError(`usage: ${SUPPRESSION_USAGE}`);
      const reason = suppressionReason.safeParse(ctx.options.reason);
      if (!reason.success) throw new UsageError('--reason must be bounced, complained or unsubscribed');
      await withApi(ctx, async (api) => {
        const added = suppressionAddedSchema.parse(
          (
            await refusingAddress(() =>
              api.call('POST', '/v1/suppressions', { body: { json: { address, reason: reason.data } } }),
            )
          ).body,
        );
        ctx.out.data({ ok: true, address: added.address, reason: added.reason });
        ctx.out.text(`suppressed ${added.address} (${added.reason})`);
      });
      return;
    }
    case 'remove': {
      if (!address) throw new UsageError(`usage: ${SUPPRESSION_USAGE}`);
      await withApi(ctx, async (api) => {
        const { address: normal, removed } = suppressionRemovedSchema.parse(
          (await refusingAddress(() => api.call('DELETE', `/v1/suppressions/${encodeURIComponent(address)}`)))
            .body,
        );
        ctx.out.data({ ok: true, address: normal, removed });
        ctx.out.text(
          removed
            ? `removed ${normal} from the suppression list`
            : `${normal} was not on the suppression list`,
        );
      });
      return;
    }
    case 'list': {
      if (address) throw new UsageError(`usage: ${SUPPRESSION_USAGE}`);
      await withApi(ctx, async (api) => {
        const { suppressions } = suppressionListSchema.parse(
          (await api.call('GET', '/v1/suppressions')).body,
        );
        ctx.out.data({ suppressions, count: suppressions.length });
        ctx.out.text(table(suppressions, ['address', 'reason', 'source', 'addedAt']));
      });
      return;
    }
    default:
      throw new UsageError(`usage: ${SUPPRESSION_USAGE}`);
  }
}
