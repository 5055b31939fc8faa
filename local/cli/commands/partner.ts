// touchpoint partner add|rotate|revoke ID, partner list: clients of /v1/partners (the table locally,
// Secrets Manager in the cloud). A secret is printed once, when it is made; `list` never shows one.
// `rotate --now` and `revoke` cut a leaked secret off at once.
import {
  partnerAddedSchema,
  partnerListSchema,
  partnerRevokedSchema,
  partnerRotatedSchema,
} from '../../../shared/usecases/partners/schemas.js';
import type { CommandContext } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';
import { ApiProblem, withApi } from '../remote/client.js';

const USAGE = 'touchpoint partner add ID | partner rotate ID [--now] | partner revoke ID | partner list';

/** The API's refusals of a partner request, as the CLI words them. */
function refused(e: unknown, id: string): unknown {
  if (!(e instanceof ApiProblem)) return e;
  if (e.status === 409)
    return new RefusedError(
      `partner ${id} already exists (rotate its secret with: touchpoint partner rotate ${id})`,
    );
  if (e.status === 404)
    return new RefusedError(`no partner ${id} (add it with: touchpoint partner add ${id})`);
  if (e.status === 400 || e.status === 422)
    return new RefusedError(`invalid partner id ${JSON.stringify(id)}`, e.errors);
  return e;
}

export async function partnerCommand(ctx: CommandContext): Promise<void> {
  const [sub, id, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  switch (sub) {
    case 'add': {
      if (!id) throw new UsageError(`usage: ${USAGE}`);
      await withApi(ctx, async (api) => {
        const added = partnerAddedSchema.parse(
          (
            await api.call('POST', '/v1/partners', { body: { json: { id } } }).catch((e: unknown) => {
              throw refused(e, id);
            })
          ).body,
        );
        ctx.out.data({ ok: true, ...added });
        ctx.out.text(`Partner ${added.id} added. Its signing secret (shown once; keep it safe):`);
        ctx.out.text(added.secret);
      });
      return;
    }
    case 'rotate': {
      if (!id) throw new UsageError(`usage: ${USAGE}`);
      const now = ctx.options.now === true;
      await withApi(ctx, async (api) => {
        const path = `/v1/partners/${encodeURIComponent(id)}/rotate`;
        const query = { now: now ? 'true' : undefined };
        const rotated = partnerRotatedSchema.parse(
          (
            await api.call('POST', path, { query }).catch((e: unknown) => {
              throw refused(e, id);
            })
          ).body,
        );
        ctx.out.data({ ok: true, ...rotated });
        ctx.out.text(
          now
            ? `New signing secret of ${rotated.id} (shown once; the previous ones are no longer valid):`
            : `New signing secret of ${rotated.id} (shown once; the previous one stays valid until ${rotated.previousValidUntil}):`,
        );
        ctx.out.text(rotated.secret);
      });
      return;
    }
    case 'revoke': {
      if (!id) throw new UsageError(`usage: ${USAGE}`);
      await withApi(ctx, async (api) => {
        const path = `/v1/partners/${encodeURIComponent(id)}/revoke`;
        const revoked = partnerRevokedSchema.parse(
          (
            await api.call('POST', path).catch((e: unknown) => {
              throw refused(e, id);
            })
          ).body,
        );
        ctx.out.data({ ok: true, ...revoked });
        ctx.out.text(
          `Every secret of ${revoked.id} is revoked: its webhooks get 401 until \`touchpoint partner rotate ${revoked.id}\` gives it a new one.`,
        );
      });
      return;
    }
    case 'list': {
      if (id) throw new UsageError(`usage: ${USAGE}`);
      await withApi(ctx, async (api) => {
        const { partners } = partnerListSchema.parse((await api.call('GET', '/v1/partners')).body);
        ctx.out.data({ partners, count: partners.length });
        ctx.out.text(
          table(partners, ['id', 'createdAt', 'secretCreatedAt', 'validSecrets', 'previousValidUntil']),
        );
      });
      return;
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
