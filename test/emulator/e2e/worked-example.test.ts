// The worked example of examples/README.md, end to end: DynamoDB Local, the state
// machine's ASL from the synthesized template in aws-local-stepfunctions, the handler modules
// Lambda runs, the local SES server and the SMS sink.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { executeRun } from '../../../local/run-executor.js';
import { type Embedded, openEmbedded } from '../../../local/runtime.js';
import { planDayTouches } from '../../../shared/usecases/plan-day.js';
import { runReport } from '../../../shared/usecases/run/summarize-run.js';
import { loadExamples, PLAN_2026_11_30, RUN_2026_11_26, rowsOf } from '../../support/examples.js';

let env: Embedded;
let dataDir: string;

async function run(date: string) {
  const { output } = await executeRun(env.template, env.deps, { date });
  const runId = runIdOf(output);
  const report = await runReport(env.deps.store, runId);
  return report.touches.map((t) => ({
    ...t,
    status: t.outcome === 'suppressed' ? 'suppressed' : t.outcome,
    reason: t.outcome === 'suppressed' ? t.outcomeReason : undefined,
  }));
}

const runIdOf = (output: unknown): string => z.object({ runId: z.string() }).parse(output).runId;

const mailStore = z.object({
  emails: z.array(z.object({ subject: z.string(), destination: z.object({ to: z.array(z.string()) }) })),
});

async function mailbox(): Promise<{ subject: string; to: string[] }[]> {
  const url = new URL('/store', env.info.sesEndpoint);
  const { emails } = mailStore.parse(await (await fetch(url)).json());
  return emails.map((e) => ({ subject: e.subject, to: e.destination.to }));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-'));
  env = await openEmbedded({
    dataDir,
    channels: true,
    ddbEndpoint: inject('ddbEndpoint'),
    tableNamePrefix: `e2e${Date.now()}`,
  });
  await loadExamples(env.deps.store);
});

afterAll(async () => {
  await env?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the worked example', () => {
  it('runs 2026-11-26 exactly as the table says, sending three emails', async () => {
    const touches = await run('2026-11-26');
    expect(rowsOf(touches.map((t) => ({ ...t, reason: t.reason })))).toEqual(RUN_2026_11_26);
    const mail = await mailbox();
    expect(mail.flatMap((m) => m.to).sort()).toEqual([
      'chen.jing@example.com',
      'chen.jing@example.com',
      'maria.garcia@example.com',
    ]);
    expect(mail.map((m) => m.subject)).toContain('Two weeks left on your plan');
  });

  it('a rerun of the same day sends nothing', async () => {
    const before = (await mailbox()).length;
    const touches = await run('2026-11-26');
    expect(touches.filter((t) => t.status === 'sent')).toEqual([]);
    expect(touches.filter((t) => t.reason === 'already-sent')).toHaveLength(3);
    expect((await mailbox()).length).toBe(before);
  });

  it('then plans 2026-11-30 with the frequency cap and consent applied', async () => {
    const touches = await planDayTouches({ store: env.deps.store }, { date: '2026-11-30' });
    expect(rowsOf(touches)).toEqual(PLAN_2026_11_30);
  });

  it('two runs of one day at once send each touch once', async () => {
    const [a, b] = await Promise.all([run('2026-12-01'), run('2026-12-01')]);
    const sent = [...a, ...b].filter((t) => t.status === 'sent');
    expect(sent.map((t) => `${t.customerId}/${t.channel}`).sort()).toEqual(['c-1001/email', 'c-1001/sms']);
    const ledger = await env.deps.store.ledger.listDeliveries({ customerId: 'c-1001' });
    expect(ledger.filter((d) => d.status === 'sent')).toHaveLength(2);
  });
});
