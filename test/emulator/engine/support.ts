// Shared by the engine proofs: one embedded stack per file (local SES + SMS sink, the synthesized
// ASL), a fresh table per test, and counts of what actually reached the local servers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { z } from 'zod';
import type { Deps } from '../../../functions/commons/deps.js';
import { executeRun } from '../../../local/run-executor.js';
import { type Embedded, openEmbedded } from '../../../local/runtime.js';
import { type Customer, defaultSettings } from '../../../shared/domain/documents.js';
import { touchKeyString } from '../../../shared/domain/touch.js';
import type { Clock } from '../../../shared/ports/clock.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { type ReportedTouch, runReport } from '../../../shared/usecases/run/summarize-run.js';
import { createTestStore } from '../support/ddb.js';
import { customer, exampleCampaign } from '../support/fixtures.js';

export interface EngineEnv {
  env: Embedded;
  close(): Promise<void>;
}

export async function openEngineEnv(name: string): Promise<EngineEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), `tp-${name}-`));
  const env = await openEmbedded({
    dataDir,
    channels: true,
    ddbEndpoint: inject('ddbEndpoint'),
    tableNamePrefix: `${name}${Date.now()}`,
  });
  return {
    env,
    close: async () => {
      await env.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Deps over a fresh table of its own, sharing the file's local SES and SMS sink. `wallClock` is the
 * store's own clock (it stamps and judges ledger leases); the run's clock stays the simulated one.
 */
export async function freshDeps(
  env: Embedded,
  opts: { wallClock?: Clock } = {},
): Promise<{ deps: Deps; store: DynamoStores }> {
  const { store } = await createTestStore(opts.wallClock ? { clock: opts.wallClock } : {});
  await store.settings.putSettings(defaultSettings());
  await store.campaigns.putCampaign(exampleCampaign('birthday'));
  return { deps: { ...env.deps, store }, store };
}

/**
 * `n` customers born on `monthDay`, ids `${prefix}-NNN`. Every fifth is a key customer with a phone
 * (email and SMS: the birthday campaign's key tier), the rest standard (email only).
 */
export function birthdayCustomers(prefix: string, n: number, monthDay: string, timeZone = 'UTC'): Customer[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(3, '0')}`;
    const key = i % 5 === 0;
    return customer({
      id,
      email: `${id}@example.com`,
      birthday: `1990-${monthDay}`,
      timeZone,
      monthlyValue: key ? 600 : 50,
      ...(key && { phone: `+1415555${String(1000 + i).slice(-4)}` }),
    });
  });
}

/** How many touches each customer id is due (key customers get email and SMS). */
export const dueTouches = (customers: readonly Customer[]): number =>
  customers.reduce((n, c) => n + (c.phone ? 2 : 1), 0);

const mailStore = z.object({
  emails: z.array(z.object({ destination: z.object({ to: z.array(z.string()) }) })),
});
const smsList = z.array(z.object({ to: z.string() }));

/** Emails the local SES server accepted, per recipient, among addresses starting with `prefix`. */
export async function mailsTo(env: Embedded, prefix: string): Promise<Map<string, number>> {
  const body = mailStore.parse(await (await fetch(new URL('/store', env.info.sesEndpoint))).json());
  const counts = new Map<string, number>();
  for (const to of body.emails.flatMap((e) => e.destination.to))
    if (to.startsWith(prefix)) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** SMS the sink received, per phone number, among these numbers. */
export async function smsTo(env: Embedded, phones: ReadonlySet<string>): Promise<Map<string, number>> {
  const body = smsList.parse(await (await fetch(new URL('/messages', env.info.smsEndpoint))).json());
  const counts = new Map<string, number>();
  for (const m of body) if (phones.has(m.to)) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  return counts;
}

const runOutput = z.object({ runId: z.string() });

export async function runAndReport(
  env: Embedded,
  deps: Deps,
  input: { date?: string; scheduledTime?: string; kind?: 'daily' | 'intraday' },
): Promise<{ runId: string; touches: ReportedTouch[] }> {
  const { output } = await executeRun(env.template, deps, input);
  const { runId } = runOutput.parse(output);
  return { runId, touches: (await runReport(deps.store, runId)).touches };
}

export const keyOf = touchKeyString;
