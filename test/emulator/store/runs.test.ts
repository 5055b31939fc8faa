import { beforeAll, describe, expect, it } from 'vitest';
import type { RunBatch } from '../../../shared/ports/runs.js';
import { RunItemNotFoundError } from '../../../shared/store/errors.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { touch } from '../support/fixtures.js';

let store: DynamoStores;
let client: Awaited<ReturnType<typeof createTestStore>>['client'];
let tableName: string;
const NOW = new Date('2026-11-01T00:00:00Z');
beforeAll(async () => {
  ({ store, client, tableName } = await createTestStore({ clock: { now: () => NOW } }));
});

describe('runs', () => {
  it('keep meta, batches with results and suppressed touches in planning order', async () => {
    expect(await store.runs.getRunReport('r-1')).toBeUndefined();
    const meta = {
      runId: 'r-1',
      date: '2026-11-01',
      startedAt: NOW.toISOString(),
      status: 'planning' as const,
    };
    await store.runs.putRunMeta(meta);
    const batches: RunBatch[] = ['b-002', 'b-001', 'b-010'].map((batchId, i) => ({
      runId: 'r-1',
      batchId,
      sendAt: `2026-11-01T0${i}:00:00.000Z`,
      touches: [
        touch({
          customerId: `c-${batchId}`,
          seq: i,
          contract: {
            id: 'k-1',
            customerId: `c-${batchId}`,
            product: 'p',
            startDate: '2025-12-01',
            endDate: '2026-12-01',
            status: 'active',
          },
        }),
      ],
    }));
    await store.runs.putRunBatches(batches);
    const suppressed = Array.from({ length: 250 }, (_, i) =>
      touch({
        customerId: `s-${i}`,
        status: 'suppressed',
        reason: 'holdout',
        seq: 100 + i,
        event: {
          id: `e-${i}`,
          customerId: `s-${i}`,
          type: 'purchase',
          occurredAt: '2026-10-01T00:00:00Z',
          data: { n: i },
        },
      }),
    );
    await store.runs.putRunSuppressed('r-1', suppressed);
    const { campaignId, stepId, customerId, channel, occasion } = touch({ customerId: 'c-b-001' });
    const results = [
      {
        key: { campaignId, stepId, customerId, channel, occasion },
        status: 'sent' as const,
        providerMessageId: 'm-1',
      },
    ];
    await store.runs.putRunBatchResults('r-1', 'b-001', results);
    await store.runs.putRunMeta({
      ...meta,
      status: 'completed',
      summary: { planned: 3, sent: 1, suppressed: 250, failed: 0, byReason: { holdout: 250 } },
    });

    const report = await store.runs.getRunReport('r-1');
    expect(report?.meta.status).toBe('completed');
    expect(report?.batches.map((b) => b.batchId)).toEqual(['b-001', 'b-002', 'b-010']);
    expect(report?.batches[0]?.results).toEqual(results);
    expect(report?.suppressed).toEqual(suppressed);
    expect(await store.runs.getRunBatch('r-1', 'b-010')).toEqual(batches[2]);
  });

  it('replacing the suppressed list with a shorter one leaves no stale chunk', async () => {
    await store.runs.putRunMeta({
      runId: 'r-2',
      date: '2026-11-01',
      startedAt: NOW.toISOString(),
      status: 'planning',
    });
    await store.runs.putRunSuppressed(
      'r-2',
      Array.from({ length: 230 }, (_, i) => touch({ customerId: `a-${i}`, status: 'suppressed' })),
    );
    const shorter = [touch({ customerId: 'only', status: 'suppressed', reason: 'paused' })];
    await store.runs.putRunSuppressed('r-2', shorter);
    expect((await store.runs.getRunReport('r-2'))?.suppressed).toEqual(shorter);
  });

  it('expire after 90 days through the TTL attribute', async () => {
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const out = await client.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'RUN#r-1', sk: 'META' } }),
    );
    expect(out.Item?.expiresAt).toBe(NOW.getTime() / 1000 + 90 * 24 * 3600);
  });

  it('results for a batch that does not exist are a typed error', async () => {
    await expect(store.runs.putRunBatchResults('r-1', 'b-999', [])).rejects.toBeInstanceOf(
      RunItemNotFoundError,
    );
  });
});
