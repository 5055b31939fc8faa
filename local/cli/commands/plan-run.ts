// plan --date D (a dry run: writes nothing; GET /v1/plan) and run --date D (POST /v1/runs, the
// state machine, then the run's result from GET /v1/run-results/{runId} once the execution is done).
import { z } from 'zod';
import { PLAN_PAGE_MAX } from '../../../shared/domain/limits.js';
import {
  type CostEstimate,
  costEstimateSchema,
  type PlanReport,
  planReportSchema,
  type RunResult,
  runResultSchema,
  type TouchRow,
} from '../../../shared/usecases/plan/report.js';
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

const paged = <T extends z.ZodObject<{ touches: z.ZodArray<z.ZodType> }>>(schema: T) =>
  schema.extend({ nextCursor: z.string().optional() });

/**
 * Every page of a paged touch list (GET /v1/plan, GET /v1/run-results/{id}): the last page with the
 * touches of all pages, in order, and without its cursor: the contract's document, whole.
 */
async function wholeDocument<T extends { touches: unknown[]; nextCursor?: string | undefined }>(
  api: ApiClient,
  path: string,
  query: Record<string, string | undefined>,
  parse: (body: unknown) => T,
): Promise<Omit<T, 'nextCursor'>> {
  const touches: unknown[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = parse(
      (await api.call('GET', path, { query: { ...query, limit: String(PLAN_PAGE_MAX), cursor } })).body,
    );
    touches.push(...page.touches);
    if (page.nextCursor === undefined) {
      const { nextCursor: _last, ...rest } = page;
      return { ...rest, touches };
    }
    cursor = page.nextCursor;
  }
}

/** A page of GET /v1/plan: the plan document and the run's cost estimate. */
const planPageSchema = planReportSchema.extend({ cost: costEstimateSchema.optional() });

/** The contract's plan document for the day: every page of GET /v1/plan; the summary (the whole day's) once. */
export async function wholePlan(
  api: ApiClient,
  date: string,
  campaign: string | undefined,
): Promise<PlanReport> {
  return (await wholePlanWithCost(api, date, campaign)).report;
}

/** The plan document and the API's cost estimate of the run it describes (docs/cost.md). */
export async function wholePlanWithCost(
  api: ApiClient,
  date: string,
  campaign: string | undefined,
): Promise<{ report: PlanReport; cost: CostEstimate | undefined }> {
  const page = paged(planPageSchema);
  const doc = await wholeDocument(api, '/v1/plan', { date, campaign }, (b) => page.parse(b));
  const { cost, ...report } = planPageSchema.parse(doc);
  return { report: planReportSchema.parse(report), cost };
}

/** The contract's run document: every page of GET /v1/run-results/{runId}. */
export async function wholeRunResult(api: ApiClient, runId: string): Promise<RunResult> {
  const page = paged(runResultSchema);
  const path = `/v1/run-results/${encodeURIComponent(runId)}`;
  return runResultSchema.parse(await wholeDocument(api, path, {}, (b) => page.parse(b)));
}

export async function planCommand(ctx: CommandContext): Promise<void> {
  const usage = 'touchpoint plan --date YYYY-MM-DD [--campaign ID] [--json]';
  rejectExtraArgs(ctx, usage);
  const date = requireDate(ctx, usage);
  const campaign = ctx.options.campaign;
  await withApi(ctx, async (api) => {
    // `--json` prints exactly the contract's plan document; the cost estimate is the API's and the table's.
    const { report, cost } = await refuseUnknownCampaign(campaign, () =>
      wholePlanWithCost(api, date, campaign),
    );
    ctx.out.data(report);
    ctx.out.text(
      `Plan for ${date}: ${report.summary.planned} planned, ${report.summary.suppressed} suppressed`,
    );
    if (cost)
      ctx.out.text(
        `Estimated cost: ${cost.total.toFixed(6)} ${cost.currency} (messages ${cost.messages.toFixed(6)}, infrastructure ${cost.infra.toFixed(6)}; prices as of ${cost.pricesAsOf}, docs/cost.md)`,
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
    const result = await wholeRunResult(api, runId);
    const s = result.summary;
    ctx.out.data(result);
    const unknown = s.unknown ? `, ${s.unknown} unknown` : '';
    const partly = s.failedBatches
      ? ` (partly failed: ${s.failedBatches} batch${s.failedBatches === 1 ? '' : 'es'} failed)`
      : '';
    ctx.out.text(
      `Run ${runId} for ${date}: ${s.sent} sent, ${s.suppressed} suppressed, ${s.failed} failed${unknown}${partly}`,
    );
    ctx.out.text(table(result.touches, COLUMNS));
    const steps = unknownNextSteps(result);
    if (steps.length > 0) {
      ctx.out.text();
      for (const line of steps) (ctx.out.json ? ctx.out.note : ctx.out.text)(line);
    }
  });
}

/** Quotes a value for a POSIX shell when it holds anything beyond plain word characters. */
const shellWord = (v: string): string => (/^[\w.@+:#/=-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`);

/** The command that releases one touch's key (docs/exactly-once.md). */
export function releaseCommand(
  t: Pick<TouchRow, 'campaignId' | 'stepId' | 'customerId' | 'channel' | 'occasion'>,
): string {
  const flags = [
    ['--campaign', t.campaignId],
    ['--step', t.stepId],
    ['--customer', t.customerId],
    ['--channel', t.channel],
    ['--occasion', t.occasion],
  ];
  return `touchpoint deliveries release ${flags.map(([f, v]) => `${f} ${shellWord(v ?? '')}`).join(' ')}`;
}

/**
 * What an operator does about `unknown` touches: a run reserved them and stopped before confirming
 * the send, so only the provider knows whether they went out. They stay held (never sent twice).
 */
export function unknownNextSteps(result: RunResult): string[] {
  const unknown = result.touches.filter((t) => t.status === 'unknown');
  if (unknown.length === 0) return [];
  const inFlight = unknown.filter((t) => t.reason === 'reserved-in-flight').length;
  return [
    `${unknown.length} touch${unknown.length === 1 ? ' is' : 'es are'} unknown: an earlier run reserved ${unknown.length === 1 ? 'it' : 'them'} and stopped before confirming the send, so ${unknown.length === 1 ? 'it' : 'each'} may or may not have gone out. No run sends ${unknown.length === 1 ? 'it' : 'them'} again until released.`,
    ...(inFlight > 0
      ? [
          `${inFlight} of them (reserved-in-flight) belong to a run that may still be sending: rerun in 15 minutes to see how ${inFlight === 1 ? 'it' : 'they'} ended.`,
        ]
      : []),
    "Next step: look each one up in the provider's logs by address and time (SES: the configuration set's event destination; SMS: End User Messaging's event destination; locally: touchpoint outbox).",
    '  - it was sent: nothing to do; the key stays held.',
    '  - it was not sent: release the key, and a later run of its date sends it:',
    ...unknown.map((t) => `      ${releaseCommand(t)}`),
  ];
}
