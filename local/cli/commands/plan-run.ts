// plan --date D (a dry run: writes nothing) and run --date D (the state machine, sending locally).
import type { PlannedTouch } from '../../../shared/domain/touch.js';
import { planDayTouches, UnknownCampaignError } from '../../../shared/usecases/plan-day.js';
import { type ReportedTouch, runReport } from '../../../shared/usecases/run/summarize-run.js';
import { executeRun } from '../../run-executor.js';
import { type CommandContext, requireDate, withEmbedded } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';

const COLUMNS = ['campaignId', 'stepId', 'customerId', 'channel', 'tier', 'status', 'reason', 'sendAt'];

/** The contract's touch shape: exactly these fields, in this order. */
export function touchJson(t: PlannedTouch, status: string, reason: string | undefined) {
  return {
    campaignId: t.campaignId,
    stepId: t.stepId,
    customerId: t.customerId,
    channel: t.channel,
    occasion: t.occasion,
    tier: t.tier,
    locale: t.locale,
    sendAt: t.sendAt,
    status,
    ...(reason !== undefined && { reason }),
  };
}

function byReason(touches: { status: string; reason?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of touches)
    if (t.status === 'suppressed' && t.reason) counts[t.reason] = (counts[t.reason] ?? 0) + 1;
  return counts;
}

function rejectExtraArgs(ctx: CommandContext, usage: string) {
  if (ctx.args.length > 0) throw new UsageError(`usage: ${usage}`);
}

async function refuseUnknownCampaign<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UnknownCampaignError)
      throw new RefusedError(e.message, [{ path: 'campaign', message: 'unknown campaign' }]);
    throw e;
  }
}

export async function planCommand(ctx: CommandContext): Promise<void> {
  const usage = 'touchpoint plan --date YYYY-MM-DD [--campaign ID] [--json]';
  rejectExtraArgs(ctx, usage);
  const date = requireDate(ctx, usage);
  const touches = await withEmbedded(ctx, {}, ({ deps }) =>
    refuseUnknownCampaign(() =>
      planDayTouches(
        { store: deps.store },
        { date, ...(ctx.options.campaign && { campaignId: ctx.options.campaign }) },
      ),
    ),
  );
  const rows = touches.map((t) => touchJson(t, t.status, t.reason));
  const planned = rows.filter((r) => r.status === 'planned').length;
  ctx.out.data({
    date,
    touches: rows,
    summary: { planned, suppressed: rows.length - planned, byReason: byReason(rows) },
  });
  ctx.out.text(`Plan for ${date}: ${planned} planned, ${rows.length - planned} suppressed`);
  ctx.out.text(table(rows, COLUMNS));
}

/** A run reports `sent`, `suppressed` or `failed` per touch (and `expired` when a window closed first). */
function runStatus(t: ReportedTouch): { status: string; reason: string | undefined } {
  if (t.outcome === 'sent' || t.outcome === 'failed' || t.outcome === 'expired')
    return { status: t.outcome, reason: t.error };
  if (t.outcome === 'suppressed') return { status: 'suppressed', reason: t.outcomeReason ?? t.reason };
  return {
    status: t.outcome === 'planned' ? 'failed' : t.outcome,
    reason: t.outcome === 'planned' ? 'not sent by the run' : undefined,
  };
}

export async function runCommand(ctx: CommandContext): Promise<void> {
  const usage = 'touchpoint run --date YYYY-MM-DD [--campaign ID] [--json]';
  rejectExtraArgs(ctx, usage);
  const date = requireDate(ctx, usage);
  await withEmbedded(ctx, { channels: true }, async ({ deps, template, info }) => {
    const campaignId = ctx.options.campaign;
    // Refuse an unknown campaign before starting an execution.
    if (campaignId && !(await deps.store.getCampaign(campaignId)))
      throw new RefusedError(`no campaign with id ${campaignId}`, [
        { path: 'campaign', message: 'unknown campaign' },
      ]);
    ctx.out.note(`running ${date} through the state machine…`);
    const { output } = await executeRun(template, deps, { date, ...(campaignId && { campaignId }) });
    const runId =
      typeof output === 'object' && output !== null && 'runId' in output ? String(output.runId) : undefined;
    if (!runId) throw new Error('the state machine finished without a run id');
    const report = await runReport(deps.store, runId);
    const rows = report.touches.map((t) => {
      const { status, reason } = runStatus(t);
      return touchJson(t, status, reason);
    });
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    ctx.out.data({
      date,
      runId,
      touches: rows,
      summary: {
        planned: report.summary.planned,
        sent: count('sent'),
        suppressed: count('suppressed'),
        failed: count('failed'),
        ...(count('expired') > 0 && { expired: count('expired') }),
        byReason: byReason(rows),
      },
    });
    ctx.out.text(
      `Run ${runId} for ${date}: ${count('sent')} sent, ${count('suppressed')} suppressed, ${count('failed')} failed`,
    );
    ctx.out.text(table(rows, COLUMNS));
    if (info.mailboxUrl) ctx.out.note(`mail went to the local SES server (${info.mailboxUrl})`);
  });
}
