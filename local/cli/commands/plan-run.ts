// plan --date D (a dry run: writes nothing; GET /v1/plan) and run --date D (POST /v1/runs, the
// state machine, then the run's result from GET /v1/run-results/{runId} once the execution is done).
import { z } from 'zod';
import { planReportSchema, runResultSchema } from '../../../shared/usecases/plan/report.js';
import { type CommandContext, requireDate } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { table } from '../output.js';
import { type ApiClient, ApiProblem, withApi } from '../remote/client.js';

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

/** The API answers 404 for an unknown campaign; the CLI refuses it as the contract says. */
async function refuseUnknownCampaign<T>(campaign: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 404 && campaign)
      throw new RefusedError(`no campaign with id ${campaign}`, [
        { path: 'campaign', message: 'unknown campaign' },
      ]);
    throw e;
  }
}

export async function planCommand(ctx: CommandContext): Promise<void> {
  const usage = 'touchpoint plan --date YYYY-MM-DD [--campaign ID] [--json]';
  rejectExtraArgs(ctx, usage);
  const date = requireDate(ctx, usage);
  const campaign = ctx.options.campaign;
  await withApi(ctx, async (api) => {
    const { body } = await refuseUnknownCampaign(campaign, () =>
      api.call('GET', '/v1/plan', { query: { date, campaign } }),
    );
    const report = planReportSchema.parse(body);
    ctx.out.data(report);
    ctx.out.text(
      `Plan for ${date}: ${report.summary.planned} planned, ${report.summary.suppressed} suppressed`,
    );
    ctx.out.text(table(report.touches, COLUMNS));
  });
}

const runStatus = z.object({
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']),
  output: z.unknown().optional(),
  error: z.string().optional(),
});

/** How long `run` waits for the execution (in the cloud a run waits for its touches' send times). */
export const RUN_DEADLINE_MS = 30 * 60_000;

/** Polls the execution to a deadline; the run id once it succeeded. */
async function awaitExecution(api: ApiClient, executionId: string, deadlineMs: number): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    const path = `/v1/runs/${encodeURIComponent(executionId)}`;
    const status = runStatus.parse((await api.call('GET', path)).body);
    if (status.status === 'SUCCEEDED') return z.object({ runId: z.string() }).parse(status.output).runId;
    if (status.status !== 'RUNNING')
      throw new Error(`run ${executionId} ended ${status.status}${status.error ? `: ${status.error}` : ''}`);
    if (Date.now() > deadline)
      throw new Error(
        `run ${executionId} still running after ${Math.round(deadlineMs / 1000)} s; check it with GET ${path}`,
      );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

export async function runCommand(ctx: CommandContext): Promise<void> {
  const usage = 'touchpoint run --date YYYY-MM-DD [--campaign ID] [--json]';
  rejectExtraArgs(ctx, usage);
  const date = requireDate(ctx, usage);
  const campaignId = ctx.options.campaign;
  await withApi(ctx, async (api) => {
    const { body } = await refuseUnknownCampaign(campaignId, () =>
      api.call('POST', '/v1/runs', { body: { json: { date, ...(campaignId && { campaignId }) } } }),
    );
    const { executionId } = z.object({ executionId: z.string() }).parse(body);
    ctx.out.note(`running ${date} through the state machine (execution ${executionId})…`);
    const runId = await awaitExecution(api, executionId, RUN_DEADLINE_MS);
    const result = runResultSchema.parse(
      (await api.call('GET', `/v1/run-results/${encodeURIComponent(runId)}`)).body,
    );
    const s = result.summary;
    ctx.out.data(result);
    ctx.out.text(`Run ${runId} for ${date}: ${s.sent} sent, ${s.suppressed} suppressed, ${s.failed} failed`);
    ctx.out.text(table(result.touches, COLUMNS));
  });
}
