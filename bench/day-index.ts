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

const MONTH_DAY = '05-17';

export function population(total: number, due: number): Customer[] {
  return Array.from({ length: total }, (_, i) => {
    const id = `b-${String(i).padStart(6, '0')}`;
    let md = new Date(Date.UTC(2001, 0, 1 + (i % 365))).toISOString().slice(5, 10);
    if (md === MONTH_DAY) md = '05-18';
    const isDue = i % Math.floor(total / due) === 0 && i / Math.floor(total / due) < due;
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
  });
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
  const ids = await store.due.customersBornOn(MONTH_DAY);
  const found = await store.due.getCustomers(ids);
  const indexMs = performance.now() - t;
  const indexRcu = store.capacity.read;
  if (found.size !== due) throw new Error(`index found ${found.size}, expected ${due}`);

  // The naive alternative: read the whole table, keep the profiles born that day.
  let scanRcu = 0;
  let matches = 0;
  let start: Record<string, unknown> | undefined;
  t = performance.now();
  do {
    const out: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: store.tableName,
        FilterExpression: 'sk = :profile AND begins_with(birthdayDay, :md)',
        ExpressionAttributeValues: { ':profile': 'PROFILE', ':md': `${MONTH_DAY}#` },
        ReturnConsumedCapacity: 'TOTAL',
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    scanRcu += out.ConsumedCapacity?.CapacityUnits ?? 0;
    matches += out.Items?.length ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  const scanMs = performance.now() - t;
  if (matches !== due) throw new Error(`scan found ${matches}, expected ${due}`);
  return { customers: total, due, indexRcu, scanRcu, indexMs, scanMs };
}
