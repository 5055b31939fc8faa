// plan, run and deliveries with --api. plan is GET /v1/plan (the same report builder as embedded);
// run starts an execution, polls its status to a deadline, and reports from the execution's summary
// plus the ledger rows the run wrote; deliveries follows the API's cursors to the last page.
import { z } from 'zod';
import { deliverySchema } from '../../../shared/domain/delivery-schema.js';
import { COLUMNS } from '../commands/plan-run.js';
import type { CommandContext } from '../context.js';
import { RefusedError } from '../errors.js';
import { table } from '../output.js';
import { showDeliveries } from '../present.js';
import { type ApiClient, ApiProblem, withApi } from './client.js';

const touchRow = z.object({
  campaignId: z.string(),
  stepId: z.string(),
  customerId: z.string(),
  channel: z.enum(['email', 'sms']),
  occasion: z.string(),
  tier: z.string(),
  locale: z.string(),
  sendAt: z.string(),
  status: z.string(),
  reason: z.string().optional(),
});
const planSchema = z.object({
  date: z.string(),
  touches: z.array(touchRow),
  summary: z.object({
    planned: z.number().int(),
    suppressed: z.number().int(),
    byReason: z.record(z.string(), z.number()),
  }),
});

type Delivery = z.infer<typeof deliverySchema>;
const page = z.object({ deliveries: z.array(deliverySchema), nextCursor: z.string().optional() });

const unknownCampaign = (id: string) =>
  new RefusedError(`no campaign with id ${id}`, [{ path: 'campaign', message: 'unknown campaign' }]);

export async function remotePlan(ctx: CommandContext, date: string): Promise<void> {
  const campaign = ctx.options.campaign;
  await withApi(ctx, async (api) => {
    let body: unknown;
    try {
      ({ body } = await api.call('GET', '/v1/plan', { query: { date, campaign } }));
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404 && campaign) throw unknownCampaign(campaign);
      throw e;
    }
    const report = planSchema.parse(body);
    ctx.out.data(report);
    ctx.out.text(
      `Plan for ${date}: ${report.summary.planned} planned, ${report.summary.suppressed} suppressed`,
    );
    ctx.out.text(table(report.touches, COLUMNS));
  });
}

async function allDeliveries(
  api: ApiClient,
  filter: { campaign?: string | undefined; customer?: string | undefined },
): Promise<Delivery[]> {
  const rows: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const { body } = await api.call('GET', '/v1/deliveries', { query: { ...filter, cursor, limit: '500' } });
    const p = page.parse(body);
    rows.push(...p.deliveries);
    cursor = p.nextCursor;
  } while (cursor !== undefined);
  return rows;
}

export async function remoteDeliveries(ctx: CommandContext): Promise<void> {
  const { campaign, customer } = ctx.options;
  await withApi(ctx, async (api) => {
    showDeliveries(ctx.out, await allDeliveries(api, { campaign, customer }));
  });
}

const runStatus = z.object({
  executionId: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']),
  output: z.unknown().optional(),
  error: z.string().optional(),
});
/** The state machine's output: SummarizeRun's result. */
const runOutput = z.object({
  runId: z.string(),
  date: z.string(),
  summary: z.object({
    planned: z.number().int(),
    sent: z.number().int(),
    suppressed: z.number().int(),
    failed: z.number().int(),
    expired: z.number().int().optional(),
    byReason: z.record(z.string(), z.number()),
  }),
});

/** How long `run --api` waits for the execution (a run waits for its touches' send times). */
export const RUN_DEADLINE_MS = 30 * 60_000;

async function awaitExecution(api: ApiClient, executionId: string, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
    const status = runStatus.parse(
      (await api.call('GET', `/v1/runs/${encodeURIComponent(executionId)}`)).body,
    );
    if (status.status === 'SUCCEEDED') return runOutput.parse(status.output);
    if (status.status !== 'RUNNING')
      throw new Error(`run ${executionId} ended ${status.status}${status.error ? `: ${status.error}` : ''}`);
    if (Date.now() > deadline)
      throw new Error(
        `run ${executionId} still running after ${Math.round(deadlineMs / 1000)} s; check it with GET /v1/runs/${executionId}`,
      );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** A ledger row as `run` reports it: failures carry their error, suppressions their reason. */
function runRow(d: Delivery) {
  const reason = d.status === 'suppressed' ? d.reason : d.error;
  return {
    campaignId: d.campaignId,
    stepId: d.stepId,
    customerId: d.customerId,
    channel: d.channel,
    occasion: d.occasion,
    tier: d.tier ?? '',
    locale: d.locale ?? '',
    sendAt: d.sendAt,
    status: d.status,
    ...(reason !== undefined && { reason }),
  };
}

export async function remoteRun(ctx: CommandContext, date: string): Promise<void> {
  const campaignId = ctx.options.campaign;
  await withApi(ctx, async (api) => {
    let started: unknown;
    try {
      ({ body: started } = await api.call('POST', '/v1/runs', {
        body: { json: { date, ...(campaignId && { campaignId }) } },
      }));
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404 && campaignId) throw unknownCampaign(campaignId);
      throw e;
    }
    const { executionId } = z.object({ executionId: z.string() }).parse(started);
    ctx.out.note(`running ${date} through the state machine (execution ${executionId})…`);
    const output = await awaitExecution(api, executionId, RUN_DEADLINE_MS);
    // The ledger rows this run wrote. A touch refused as already sent keeps the earlier run's row,
    // so it is counted in the summary but not listed.
    const rows = (await allDeliveries(api, { campaign: campaignId }))
      .filter((d) => d.runId === output.runId)
      .map(runRow)
      .sort(
        (a, b) =>
          a.sendAt.localeCompare(b.sendAt) ||
          a.campaignId.localeCompare(b.campaignId) ||
          a.stepId.localeCompare(b.stepId) ||
          a.customerId.localeCompare(b.customerId) ||
          a.channel.localeCompare(b.channel),
      );
    const s = output.summary;
    ctx.out.data({
      date,
      runId: output.runId,
      touches: rows,
      summary: {
        planned: s.planned,
        sent: s.sent,
        suppressed: s.suppressed,
        failed: s.failed,
        ...(s.expired !== undefined && s.expired > 0 && { expired: s.expired }),
        byReason: s.byReason,
      },
    });
    ctx.out.text(
      `Run ${output.runId} for ${date}: ${s.sent} sent, ${s.suppressed} suppressed, ${s.failed} failed`,
    );
    ctx.out.text(table(rows, COLUMNS));
  });
}
