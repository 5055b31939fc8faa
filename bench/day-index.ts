// Bench 1: one due day through the sharded birthday index vs. a Scan with a filter, 20,000 customers.
import { type DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { type Customer, customerSchema } from '../shared/domain/documents.js';
import type { DynamoStores } from '../shared/store/stores.js';

export interface DayIndexResult {
  customers: number;
  due: number;
  indexRcu: number;
  scanRcu: number;
  indexMs: number;
  scanMs: number;
}

export const MONTH_DAY = '05-17';

/** Customer `i` of a population of `total` with `due` born on MONTH_DAY, the rest on other days. */
export function populationCustomer(i: number, total: number, due: number): Customer {
  const id = `b-${String(i).padStart(7, '0')}`;
  let md = new Date(Date.UTC(2001, 0, 1 + (i % 365))).toISOString().slice(5, 10);
  if (md === MONTH_DAY) md = '05-18';
  const step = Math.floor(total / due);
  const isDue = i % step === 0 && i / step < due;
  return customerSchema.parse({
    id,
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    locale: 'en-US',
    timeZone: 'UTC',
    monthlyValue: 50,
    consent: { email: true, sms: false },
    birthday: isDue ? `1990-${MONTH_DAY}` : md,
  });
}

export function population(total: number, due: number): Customer[] {
  return Array.from({ length: total }, (_, i) => populationCustomer(i, total, due));
}

export async function benchDayIndex(
  store: DynamoStores,
  client: DynamoDBDocumentClient,
  total: number,
  due: number,
): Promise<DayIndexResult> {
  await store.documents.putCustomers(population(total, due));

  store.resetCapacity();
  let t = performance.now();
  // What planning reads: the day's profiles, carried by the sharded birthday index.
  const found = await store.due.profilesBornOn(MONTH_DAY);
  const indexMs = performance.now() - t;
  const indexRcu = store.capacity.read;
  if (found.length !== due) throw new Error(`index found ${found.length}, expected ${due}`);

  // The naive alternative: read the whole table, keep the profiles born that day.
  t = performance.now();
  const { rcu: scanRcu, matches } = await scanForDay(client, store.tableName, 1);
  const scanMs = performance.now() - t;
  if (matches !== due) throw new Error(`scan found ${matches}, expected ${due}`);
  return { customers: total, due, indexRcu, scanRcu, indexMs, scanMs };
}

/** The naive alternative: read the whole table, keep the profiles born that day. */
export async function scanForDay(
  client: DynamoDBDocumentClient,
  tableName: string,
  totalSegments: number,
): Promise<{ rcu: number; matches: number }> {
  const segments = await Promise.all(
    Array.from({ length: totalSegments }, async (_, segment) => {
      let rcu = 0;
      let matches = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out: ScanCommandOutput = await client.send(
          new ScanCommand({
            TableName: tableName,
            ...(totalSegments > 1 && { Segment: segment, TotalSegments: totalSegments }),
            FilterExpression: 'sk = :profile AND begins_with(birthdayDay, :md)',
            ExpressionAttributeValues: { ':profile': 'PROFILE', ':md': `${MONTH_DAY}#` },
            ReturnConsumedCapacity: 'TOTAL',
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        rcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
        matches += out.Items?.length ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return { rcu, matches };
    }),
  );
  return {
    rcu: segments.reduce((a, s) => a + s.rcu, 0),
    matches: segments.reduce((a, s) => a + s.matches, 0),
  };
}
