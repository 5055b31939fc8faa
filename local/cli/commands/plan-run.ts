// plan --date D (a dry run: writes nothing) and run --date D (the state machine, sending locally).
import { planDayTouches, UnknownCampaignError } from '../../../shared/usecases/plan-day.js';
import { type ReportedTouch, runReport } from '../../../shared/usecases/run/summarize-run.js';
import { countByReason, planReport, touchRow } from '../../../shared/usecases/touch-report.js';
import { executeRun } from '../../run-executor.js';
import { type CommandContext, requireDate, withEmbedded } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';

export const COLUMNS = [
  'campaignId',
  'stepId',
  'customerId',
  'channel',
  'tier',
  'status',
  'reason',
  'sendAt',
];

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
  if (ctx.remote) return (await import('../remote/runs.js')).remotePlan(ctx, date);
  const touches = await withEmbedded(ctx, {}, ({ deps }) =>
    refuseUnknownCampaign(() =>
      planDayTouches(
        { store: deps.store },
        { date, ...(ctx.options.campaign && { campaignId: ctx.options.campaign }) },
      ),
    ),
  );
  const report = planReport(date, touches);
  ctx.out.data(report);
  ctx.out.text(
    `Plan for ${date}: ${report.summary.planned} planned, ${report.summary.suppressed} suppressed`,
  );
  ctx.out.text(table(report.touches, COLUMNS));
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
  if (ctx.remote) return (await import('../remote/runs.js')).remoteRun(ctx, date);
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
      return touchRow(t, status, reason);
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
        byReason: countByReason(rows),
      },
    });
    ctx.out.text(
      `Run ${runId} for ${date}: ${count('sent')} sent, ${count('suppressed')} suppressed, ${count('failed')} failed`,
    );
    ctx.out.text(table(rows, COLUMNS));
    if (info.mailboxUrl) ctx.out.note(`mail went to the local SES server (${info.mailboxUrl})`);
  });
}
