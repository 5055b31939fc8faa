// `npm start`: the embedded stack with the demo data, the daily schedule from the synthesized
// template played forward over the demo period on a simulated clock, then the mailbox and SMS
// pages kept up until Ctrl-C (or, with --once, a clean exit for scripts and CI).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { campaignSchema, settingsSchema } from '../../../shared/domain/documents.js';
import { importFile } from '../../../shared/import/import-file.js';
import { runReport } from '../../../shared/usecases/run/summarize-run.js';
import { nextFireTimes, schedulesFromTemplate } from '../../assembly-schedules.js';
import { executeRun } from '../../run-executor.js';
import { type Embedded, PROJECT_ROOT } from '../../runtime.js';
import { type CommandContext, withEmbedded } from '../context.js';
import { table } from '../output.js';
import { parsePort, serveApi } from './serve.js';

const EXAMPLES = join(PROJECT_ROOT, 'examples');
export const DEMO_PERIOD = { from: '2026-11-26', to: '2026-12-31' };

async function loadDemoData(env: Embedded): Promise<void> {
  const { store } = env.deps;
  await store.putSettings(
    settingsSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'settings.json'), 'utf8'))),
  );
  for (const kind of ['customers', 'contracts', 'events'] as const) {
    const result = await importFile({ path: join(EXAMPLES, `${kind}.ndjson`), kind, store });
    if (!result.ok) throw new Error(`demo ${kind} did not import: ${JSON.stringify(result.errors)}`);
  }
  for (const file of readdirSync(join(EXAMPLES, 'campaigns')).sort()) {
    await store.putCampaign(
      campaignSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'campaigns', file), 'utf8'))),
    );
  }
}

/** The daily schedule's firings whose runs cover the demo period (a run plans the next UTC day). */
function demoFirings(env: Embedded): Date[] {
  const [schedule] = schedulesFromTemplate(env.template);
  if (!schedule) throw new Error('the synthesized template has no schedule');
  const from = new Date(`${DEMO_PERIOD.from}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 1);
  const until = new Date(`${DEMO_PERIOD.to}T00:00:00Z`);
  return nextFireTimes(schedule, from, until);
}

export async function demoCommand(ctx: CommandContext): Promise<void> {
  const started = Date.now();
  const dataDir = join(ctx.dataDir, 'demo');
  rmSync(dataDir, { recursive: true, force: true });
  await withEmbedded({ ...ctx, dataDir }, { channels: true, own: true }, async (env) => {
    ctx.out.text(`Touchpoint demo — local stack up in ${Date.now() - started} ms (data in ${dataDir})`);
    await loadDemoData(env);
    let firstDelivery: number | undefined;
    let total = 0;
    for (const firing of demoFirings(env)) {
      const { output } = await executeRun(env.template, env.deps, { scheduledTime: firing.toISOString() });
      const runId =
        typeof output === 'object' && output !== null && 'runId' in output ? String(output.runId) : '';
      const report = await runReport(env.deps.store, runId);
      const sent = report.touches.filter((t) => t.outcome === 'sent');
      if (sent.length === 0) continue;
      firstDelivery ??= Date.now() - started;
      total += sent.length;
      ctx.out.text(`\n${report.meta.date}  (schedule fired ${firing.toISOString()})`);
      ctx.out.text(
        table(
          sent.map((t) => ({
            sendAt: t.sendAt,
            campaign: t.campaignId,
            step: t.stepId,
            customer: t.customerId,
            channel: t.channel,
            to: t.address,
          })),
          ['sendAt', 'campaign', 'step', 'customer', 'channel', 'to'],
        ),
      );
    }
    ctx.out.text(`\n${total} messages sent over ${DEMO_PERIOD.from} … ${DEMO_PERIOD.to}.`);
    if (firstDelivery !== undefined)
      ctx.out.text(`Time from start to first delivered message: ${firstDelivery} ms.`);
    ctx.out.text(`Mailbox (rendered emails): ${env.info.mailboxUrl ?? '-'}`);
    ctx.out.text(`SMS messages:              ${env.info.smsPageUrl ?? '-'}`);
    ctx.out.text(`Ledger: npx touchpoint deliveries --data-dir ${dataDir}`);
    if (ctx.options.once) return;
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
