// touchpoint partner add|rotate ID, partner list: webhook partners and their `whsec_` secrets.
// A secret is printed once, when it is made; `list` never prints secrets.
import {
  DEFAULT_ROLLOVER_MS,
  newPartner,
  newSecret,
  partnerId,
  validSecrets,
} from '../../../shared/partners/secrets.js';
import type { Partner } from '../../../shared/ports.js';
import { type CommandContext, withEmbedded } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';

const USAGE = 'touchpoint partner add ID | partner rotate ID | partner list';

function checkedId(id: string): string {
  const parsed = partnerId.safeParse(id);
  if (!parsed.success)
    throw new RefusedError(
      `invalid partner id ${JSON.stringify(id)}`,
      parsed.error.issues.map((i) => ({ path: 'id', message: i.message })),
    );
  return parsed.data;
}

/** What `list` shows of a partner: never a secret. */
function summary(p: Partner, now: Date) {
  const current = p.secrets[0];
  const rollover = p.secrets
    .slice(1)
    .filter((s) => s.expiresAt !== undefined && Date.parse(s.expiresAt) > now.getTime());
  return {
    id: p.id,
    createdAt: p.createdAt,
    secretCreatedAt: current?.createdAt,
    validSecrets: validSecrets(p, now).length,
    previousValidUntil: rollover
      .map((s) => s.expiresAt)
      .sort()
      .at(-1),
  };
}

export async function partnerCommand(ctx: CommandContext): Promise<void> {
  const [sub, id, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  switch (sub) {
    case 'add': {
      if (!id) throw new UsageError(`usage: ${USAGE}`);
      const partner = newPartner(checkedId(id), new Date());
      const added = await withEmbedded(ctx, {}, ({ deps }) => deps.store.addPartner(partner));
      if (!added)
        throw new RefusedError(
          `partner ${partner.id} already exists (rotate its secret with: touchpoint partner rotate ${partner.id})`,
        );
      const secret = partner.secrets[0]?.secret ?? '';
      ctx.out.data({ ok: true, id: partner.id, secret, createdAt: partner.createdAt });
      ctx.out.text(`Partner ${partner.id} added. Its signing secret (shown once; keep it safe):`);
      ctx.out.text(secret);
      return;
    }
    case 'rotate': {
      if (!id) throw new UsageError(`usage: ${USAGE}`);
      const next = newSecret(new Date());
      const rotated = await withEmbedded(ctx, {}, ({ deps }) =>
        deps.store.rotatePartnerSecret(checkedId(id), next, DEFAULT_ROLLOVER_MS),
      );
      if (!rotated) throw new RefusedError(`no partner ${id} (add it with: touchpoint partner add ${id})`);
      const previousValidUntil = new Date(Date.parse(next.createdAt) + DEFAULT_ROLLOVER_MS).toISOString();
      ctx.out.data({
        ok: true,
        id: rotated.id,
        secret: next.secret,
        createdAt: next.createdAt,
        previousValidUntil,
      });
      ctx.out.text(
        `New signing secret of ${rotated.id} (shown once; the previous one stays valid until ${previousValidUntil}):`,
      );
      ctx.out.text(next.secret);
      return;
    }
    case 'list': {
      if (id) throw new UsageError(`usage: ${USAGE}`);
      const partners = await withEmbedded(ctx, {}, ({ deps }) => deps.store.listPartners());
      const now = new Date();
      const rows = partners.map((p) => summary(p, now));
      ctx.out.data({ partners: rows, count: rows.length });
      ctx.out.text(table(rows, ['id', 'createdAt', 'secretCreatedAt', 'validSecrets', 'previousValidUntil']));
      return;
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
