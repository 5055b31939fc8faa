// Bench 2: 20 runs at once over the same touches. The ledger's conditional reserve lets exactly one
// run take each key; a naive read-then-write lets several runs "win" (each would send a copy).
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PlannedTouch } from '../shared/domain/touch.js';
import type { DynamoStores } from '../shared/store/stores.js';

export interface LedgerResult {
  runs: number;
  touches: number;
  conditional: { wins: number; duplicates: number; wcu: number; rcu: number };
  naive: { wins: number; duplicates: number; wcu: number; rcu: number };
}

const touch = (i: number, campaignId: string): PlannedTouch => ({
  campaignId,
  stepId: 'd0',
  customerId: `l-${i}`,
  channel: 'email',
  occasion: '2026',
  tier: 'standard',
  locale: 'en-US',
  dueDate: '2026-05-17',
  sendAt: '2026-05-17T09:00:00.000Z',
  windowEnd: '2026-05-17T12:00:00.000Z',
  status: 'planned',
  address: `l-${i}@example.com`,
  template: 't',
});

export async function benchLedger(
  store: DynamoStores,
  client: DynamoDBDocumentClient,
  runs: number,
  touches: number,
): Promise<LedgerResult> {
  const now = '2026-05-17T09:00:00.000Z';
  const conditionalTouches = Array.from({ length: touches }, (_, i) => touch(i, 'conditional'));
  store.resetCapacity();
  const conditionalWins = await Promise.all(
    Array.from({ length: runs }, async (_, r) => {
      let wins = 0;
      for (const t of conditionalTouches) if (await store.ledger.reserve(t, `run-${r}`, now)) wins++;
      return wins;
    }),
  );
  const conditional = {
    ...tally(conditionalWins, touches),
    wcu: store.capacity.write,
    rcu: store.capacity.read,
  };

  // Read the row; if nobody holds it, write ours. Between the read and the write, others do the same.
  let wcu = 0;
  let rcu = 0;
  const naiveWins = await Promise.all(
    Array.from({ length: runs }, async (_, r) => {
      let wins = 0;
      for (let i = 0; i < touches; i++) {
        const key = { pk: `CUSTOMER#l-${i}`, sk: `TOUCH#naive#d0#email#2026` };
        const got = await client.send(
          new GetCommand({
            TableName: store.tableName,
            Key: key,
            ConsistentRead: true,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        rcu += got.ConsumedCapacity?.CapacityUnits ?? 0;
        if (got.Item) continue;
        const put = await client.send(
          new PutCommand({
            TableName: store.tableName,
            Item: { ...key, status: 'reserved', runId: `run-${r}`, updatedAt: now },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        wcu += put.ConsumedCapacity?.CapacityUnits ?? 0;
        wins++;
      }
      return wins;
    }),
  );
  return { runs, touches, conditional, naive: { ...tally(naiveWins, touches), wcu, rcu } };
}

const tally = (wins: number[], touches: number) => {
  const total = wins.reduce((a, b) => a + b, 0);
  return { wins: total, duplicates: total - touches };
};
