// campaign apply|validate FILE, campaign list, campaign pause|resume ID.
import { checkCampaign } from '../../../shared/domain/campaign-checks.js';
import { type Campaign, campaignSchema } from '../../../shared/domain/documents.js';
import { type CommandContext, withEmbedded } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { showCampaigns } from '../present.js';
import { readJsonFile } from './documents.js';

const USAGE = 'touchpoint campaign apply|validate FILE | campaign list | campaign pause|resume ID';

/** The schema, then the checks that need the whole document (templates, variables, SMS length). */
export function validateCampaignDocument(
  doc: unknown,
): { ok: true; campaign: Campaign } | { ok: false; errors: { path: string; message: string }[] } {
  const parsed = campaignSchema.safeParse(doc);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  const issues = checkCampaign(parsed.data);
  if (issues.length > 0)
    return { ok: false, errors: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  return { ok: true, campaign: parsed.data };
}

function validatedFrom(file: string): Campaign {
  const result = validateCampaignDocument(readJsonFile(file));
  if (!result.ok) throw new RefusedError(`${file}: the campaign is invalid`, result.errors);
  return result.campaign;
}

export async function campaignCommand(ctx: CommandContext): Promise<void> {
  const [sub, arg, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  switch (sub) {
    case 'validate': {
      if (!arg) throw new UsageError('usage: touchpoint campaign validate FILE');
      if (ctx.remote)
        return (await import('../remote/campaign.js')).remoteCampaignValidate(ctx, arg, readJsonFile(arg));
      const campaign = validatedFrom(arg);
      ctx.out.data({ ok: true, valid: true, id: campaign.id });
      ctx.out.text(`${arg}: campaign ${campaign.id} is valid (${campaign.steps.length} steps)`);
      return;
    }
    case 'apply': {
      if (!arg) throw new UsageError('usage: touchpoint campaign apply FILE');
      if (ctx.remote)
        return (await import('../remote/campaign.js')).remoteCampaignApply(ctx, arg, readJsonFile(arg));
      const campaign = validatedFrom(arg);
      const record = await withEmbedded(ctx, {}, ({ deps }) => deps.store.putCampaign(campaign));
      ctx.out.data({ ok: true, id: campaign.id, version: record.version, paused: record.paused });
      ctx.out.text(
        `campaign ${campaign.id} applied as version ${record.version}${record.paused ? ' (paused)' : ''}`,
      );
      return;
    }
    case 'list': {
      if (arg) throw new UsageError('usage: touchpoint campaign list');
      if (ctx.remote) return (await import('../remote/campaign.js')).remoteCampaignList(ctx);
      const records = await withEmbedded(ctx, {}, ({ deps }) => deps.store.listCampaigns());
      showCampaigns(ctx.out, records);
      return;
    }
    case 'pause':
    case 'resume': {
      if (!arg) throw new UsageError(`usage: touchpoint campaign ${sub} ID`);
      if (ctx.remote)
        return (await import('../remote/campaign.js')).remoteCampaignPause(ctx, arg, sub === 'pause');
      const found = await withEmbedded(ctx, {}, ({ deps }) => deps.store.setPaused(arg, sub === 'pause'));
      if (!found)
        throw new RefusedError(`no campaign with id ${arg}`, [{ path: 'id', message: 'unknown campaign' }]);
      ctx.out.data({ ok: true, id: arg, paused: sub === 'pause' });
      ctx.out.text(`campaign ${arg} ${sub === 'pause' ? 'paused' : 'resumed'}`);
      return;
    }
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
