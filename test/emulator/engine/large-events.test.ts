// Issue 10, item 3: touches of an event-anchored campaign carry their event (for the templates) into
// the run's items. With 50 touches an item, 3.8 KB of event data made an item pass DynamoDB's 400 KB
// and failed planning for every campaign. Through the real state machine: events of 3.8 KB and of
// the largest document the edge accepts (MAX_DOCUMENT_BYTES), 120 due touches plus suppressed ones —
// every touch is planned and sent, and no run item, state payload or RunCompleted event is too big.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { executeRun } from '../../../local/run-executor.js';
import { type CustomerEvent, defaultSettings, eventSchema } from '../../../shared/domain/documents.js';
import { MAX_DOCUMENT_BYTES, utf8Bytes } from '../../../shared/domain/limits.js';
import { jsonBytes } from '../../../shared/domain/storable.js';
import { runReport } from '../../../shared/usecases/run/summarize-run.js';
import { createTestStore } from '../support/ddb.js';
import { customer, exampleCampaign } from '../support/fixtures.js';
import { type EngineEnv, mailsTo, openEngineEnv } from './support.js';

/** DynamoDB's item limit, and Step Functions' limit on a state's input or output and on an event. */
const ITEM_BYTES = 400 * 1024;
const PAYLOAD_BYTES = 256 * 1024;

const D = '2026-11-26';
const DUE = 120;
const NO_CONSENT = 15;

let engine: EngineEnv;
beforeAll(async () => {
  engine = await openEngineEnv('bigevents');
});
afterAll(async () => {
  await engine?.close();
});

/** An event of the service-recovery campaign (offset 2), its JSON about `bytes` long. */
function bigEvent(prefix: string, n: number, bytes: number): CustomerEvent {
  const base = {
    id: `${prefix}-ev-${n}`,
    customerId: `${prefix}-${String(n).padStart(3, '0')}`,
    type: 'complaint.resolved',
    occurredAt: '2026-11-24T10:00:00Z',
    data: { ticket: `T-${n}`, note: '' },
  };
  const note = 'x'.repeat(bytes - utf8Bytes(JSON.stringify(base)));
  return eventSchema.parse({ ...base, data: { ...base.data, note } });
}

async function runWithEvents(prefix: string, eventBytes: number) {
  const { env } = engine;
  const { store, client, tableName } = await createTestStore();
  await store.settings.putSettings(defaultSettings());
  await store.campaigns.putCampaign(exampleCampaign('service-recovery'));
  const deps = { ...env.deps, store };
  const n = DUE + NO_CONSENT;
  const customers = Array.from({ length: n }, (_, i) =>
    customer({
      id: `${prefix}-${String(i).padStart(3, '0')}`,
      email: `${prefix}-${String(i).padStart(3, '0')}@example.com`,
      consent: { email: i < DUE, sms: false },
    }),
  );
  await store.documents.putCustomers(customers);
  const events = customers.map((_, i) => bigEvent(prefix, i, eventBytes));
  expect(utf8Bytes(JSON.stringify(events[0]))).toBeGreaterThanOrEqual(eventBytes - 1);
  await store.documents.putEvents(events);

  const { output } = await executeRun(env.template, deps, { date: D });
  const { runId } = z.object({ runId: z.string() }).parse(output);
  const report = await runReport(store, runId);

  // Every item of the run, page by page (a Query page stops at 1 MB).
  const runItems: Record<string, unknown>[] = [];
  let from: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RUN#${runId}` },
        ...(from && { ExclusiveStartKey: from }),
      }),
    );
    runItems.push(...(page.Items ?? []));
    from = page.LastEvaluatedKey;
  } while (from);
  const batchIds = runItems.flatMap((i) =>
    typeof i.sk === 'string' && i.sk.startsWith('BATCH#') ? [i.sk.slice('BATCH#'.length)] : [],
  );
  // What PlanRun hands the Map: the batch references only.
  const planOutput = {
    runId,
    date: D,
    batches: batchIds.map((batchId) => ({ batchId, sendAt: batchId.split('#')[0] })),
    planned: report.summary.planned,
    suppressed: report.summary.suppressed,
  };
  return { report, runItems, planOutput, output, prefix };
}

describe('events as large as the edge accepts', () => {
  for (const [label, bytes] of [
    ['3.8 KB', 3_800],
    ['32 KB (MAX_DOCUMENT_BYTES)', MAX_DOCUMENT_BYTES - 16],
  ] as const) {
    it(`plans and sends every touch of events carrying ${label} of data, no run item over 400 KB`, {
      timeout: 120_000,
    }, async () => {
      const prefix = `big${bytes}`;
      const { report, runItems, planOutput, output } = await runWithEvents(prefix, bytes);

      expect(report.summary).toMatchObject({
        planned: DUE,
        sent: DUE,
        suppressed: NO_CONSENT,
        failed: 0,
        byReason: { 'no-consent': NO_CONSENT },
      });
      const mails = await mailsTo(engine.env, `${prefix}-`);
      expect(mails.size).toBe(DUE);
      expect([...mails.values()].every((k) => k === 1)).toBe(true);

      // Every run item as DynamoDB stores it (marshalled: a little larger than its real size).
      const sizes = runItems.map((i) => jsonBytes(marshall(i, { removeUndefinedValues: true })));
      const largest = Math.max(...sizes);
      console.info(
        `${label}: ${runItems.length} run items, largest ${largest} B; plan output ${jsonBytes(planOutput)} B; run output ${jsonBytes(output)} B`,
      );
      expect(largest).toBeLessThan(ITEM_BYTES);
      expect(jsonBytes(planOutput)).toBeLessThan(PAYLOAD_BYTES);
      expect(jsonBytes(output)).toBeLessThan(PAYLOAD_BYTES);
    });
  }
});
