// `npm start`: the embedded stack with the demo data, the daily schedule from the synthesized
// template played forward over the demo period on a simulated clock, then the mailbox and SMS
// pages kept up until Ctrl-C (or, with --once, a clean exit for scripts and CI).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignSchema, customerSchema, settingsSchema } from '../../../shared/domain/documents.js';
import { importFile } from '../../../shared/import/import-file.js';
import { startRunInput } from '../../../shared/usecases/run/start-run.js';
import { runReport } from '../../../shared/usecases/run/summarize-run.js';
import {
  nextFireTimes,
  renderScheduleInput,
  schedulesFromTemplate,
  type TemplateSchedule,
} from '../../assembly-schedules.js';
import { executeRun } from '../../run-executor.js';
import { type Embedded, PROJECT_ROOT } from '../../runtime.js';
import { readOutbox } from '../../stack/outbox.js';
import { stopDataDirStack } from '../../stack/stop.js';
import { type CommandContext, withEmbedded } from '../context.js';
import { POPULATION_CAMPAIGN } from '../demo-population.js';
import { type DemoTouch, notSentHeading, notSentLines, reasonTotals, sentTable } from '../demo-report.js';
import { DemoPopulation } from '../demo-responses.js';
import { resultsLines } from '../demo-results.js';
import { DemoReturnPath, loadReturnPathCustomers, RETURN_PATH_CUSTOMERS } from '../demo-return-path.js';
import { parsePort, serveApi } from './serve.js';

const EXAMPLES = join(PROJECT_ROOT, 'examples');
export const DEMO_PERIOD = { from: '2026-11-26', to: '2026-12-31' };

async function loadDemoData(env: Embedded): Promise<void> {
  const { store } = env.deps;
  await store.settings.putSettings(
    settingsSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'settings.json'), 'utf8'))),
  );
  for (const kind of ['customers', 'contracts', 'events'] as const) {
    const result = await importFile({ path: join(EXAMPLES, `${kind}.ndjson`), kind, store });
    if (!result.ok) throw new Error(`demo ${kind} did not import: ${JSON.stringify(result.errors)}`);
  }
  for (const file of readdirSync(join(EXAMPLES, 'campaigns')).sort()) {
    await store.campaigns.putCampaign(
      campaignSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'campaigns', file), 'utf8'))),
    );
  }
}

/** Customer id → time zone, from the same files the demo imports: the demo prints local send times. */
function demoZones(): Map<string, string> {
  const lines = [join(EXAMPLES, 'customers.ndjson'), RETURN_PATH_CUSTOMERS].flatMap((file) =>
    readFileSync(file, 'utf8').split('\n'),
  );
  return new Map(
    lines
      .filter((line) => line.trim() !== '')
      .map((line) => customerSchema.parse(JSON.parse(line)))
      .map((c) => [c.id, c.timeZone]),
  );
}

/** The daily schedule's firings whose runs cover the demo period (each plans its local date + daysAhead). */
function demoFirings(env: Embedded): { schedule: TemplateSchedule; fires: Date[] } {
  // The daily schedule only: the hourly intraday one (docs/scheduling.md) answers late events in the cloud.
  const schedule = schedulesFromTemplate(env.template).find((s) => s.logicalId.includes('DailyRun'));
  if (!schedule) throw new Error('the synthesized template has no schedule');
  const from = new Date(`${DEMO_PERIOD.from}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 1);
  const until = new Date(`${DEMO_PERIOD.to}T00:00:00Z`);
  return { schedule, fires: nextFireTimes(schedule, from, until) };
}

export async function demoCommand(ctx: CommandContext): Promise<void> {
  const started = Date.now();
  const dataDir = join(ctx.dataDir, 'demo');
  // The demo starts from an empty data dir, emptied only once it holds the dir's lock: a background
  // stack of it (`touchpoint outbox --data-dir …/demo`) steps aside, another `npm start` is waited for.
  await stopDataDirStack(dataDir, { backgroundOnly: true });
  const fresh = {
    onBusy: (pid: number) => ctx.out.note(`waiting for process ${pid}, which holds ${dataDir}, to finish`),
  };
  await withEmbedded({ ...ctx, dataDir }, { channels: true, own: true, fresh }, async (env) => {
    ctx.out.text(`Touchpoint demo — local stack up in ${Date.now() - started} ms (data in ${dataDir})`);
    await loadDemoData(env);
    await loadReturnPathCustomers(env);
    const returnPath = new DemoReturnPath(env);
    // A population that responds: the results table at the end measures its campaign's uplift.
    const people = new DemoPopulation(env);
    await people.load(env);
    const zones = demoZones();
    let firstDelivery: number | undefined;
    let total = 0;
    const notSent: DemoTouch[] = [];
    const { schedule, fires } = demoFirings(env);
    for (const firing of fires) {
      // The schedule's own input, as Scheduler renders it: the run plans the date the cloud would.
      const input = startRunInput.parse(JSON.parse(renderScheduleInput(schedule, firing)));
      const { output } = await executeRun(env.template, env.deps, input);
      const runId =
        typeof output === 'object' && output !== null && 'runId' in output ? String(output.runId) : '';
      const report = await runReport(env.deps.store, runId);
      const { meta } = report;
      // The population's touches are counted on one line a day, not listed.
      const touches = report.touches.filter((t) => t.campaignId !== POPULATION_CAMPAIGN);
      const responded = await people.afterRun(meta.date, report.touches);
      const sent = touches.filter((t) => t.outcome === 'sent').length;
      const dayNotSent = touches.filter((t) => t.outcome !== 'sent');
      const cameBack = await returnPath.afterRun(meta.date);
      if (sent === 0 && dayNotSent.length === 0 && cameBack.length === 0 && responded === undefined) continue;
      ctx.out.text(`\n${meta.date}  (schedule fired ${firing.toISOString()})`);
      if (sent > 0) {
        firstDelivery ??= Date.now() - started;
        total += sent;
        // The servers keep what they received in the data dir: the subject shown is the one sent.
        const received = new Map(readOutbox(dataDir).map((m) => [m.messageId, m]));
        ctx.out.text(sentTable({ touches, zones, received }));
      }
      if (dayNotSent.length > 0) {
        notSent.push(...dayNotSent);
        ctx.out.text(`${notSentHeading(dayNotSent)} (${dayNotSent.length}), by reason:`);
        for (const line of notSentLines(dayNotSent)) ctx.out.text(line);
      }
      if (cameBack.length > 0) {
        ctx.out.text('came back:');
        for (const line of cameBack) ctx.out.text(line);
      }
      if (responded !== undefined) ctx.out.text(responded);
    }
    ctx.out.text(`\n${total} messages sent over ${DEMO_PERIOD.from} … ${DEMO_PERIOD.to}.`);
    if (notSent.length > 0) {
      ctx.out.text(`${notSent.length} touches ${notSentHeading(notSent)}: ${reasonTotals(notSent)}.`);
    }
    ctx.out.text(await returnPath.summary([...zones.keys()]));
    if (firstDelivery !== undefined)
      ctx.out.text(`Time from start to first delivered message: ${firstDelivery} ms.`);
    // What outlives this process: the data dir, and the commands that read it.
    ctx.out.text(`\nThe demo's data stays in ${dataDir}:`);
    ctx.out.text(`  npx touchpoint outbox --data-dir ${dataDir}        every email and SMS sent`);
    ctx.out.text(`  npx touchpoint deliveries --data-dir ${dataDir}    the ledger`);
    // Did it work? The month's results as `touchpoint report` reads them, then the command itself:
    // with --once, the last line the demo prints (CONTRACT.md, "Results").
    ctx.out.text('');
    for (const line of resultsLines(await people.report(DEMO_PERIOD))) ctx.out.text(line);
    for (const line of people.summary(dataDir)) ctx.out.text(line);
    ctx.out.text(`npx touchpoint report --data-dir ${dataDir}`);
    // --once stops every server on return: printing their URLs would point at nothing.
    if (ctx.options.once) return;
    ctx.out.text(`\nMailbox (rendered emails): ${env.info.mailboxUrl ?? '-'}`);
    ctx.out.text(`SMS messages:              ${env.info.smsPageUrl ?? '-'}`);
    // The API (partner webhooks, marketing-ops endpoints) stays up with the pages.
    const stopApi = await serveApi(ctx, env, parsePort(ctx.options.port));
    try {
      ctx.out.text('\nPress Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      ctx.out.text('Stopping…');
    } finally {
      await stopApi();
    }
  });
}
