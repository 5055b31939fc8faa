// "A failure in the write pass completes on retry" against the real store: an events import whose
// rows are written but whose follow-ups (the customer's activity) fail is completed by importing the
// same events again, and ends exactly as a clean import: same last-activity index, same references,
// each event counted new once.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportIncompleteError, importDocuments } from '../../../shared/import/import-file.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { createTestStore } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

const CUSTOMERS = Array.from({ length: 12 }, (_, i) =>
  customer({ id: `r-${i}`, lastActivityAt: '2026-10-01T08:00:00Z' }),
);
const EVENTS = Array.from({ length: 60 }, (_, i) => ({
  id: `re-${i}`,
  customerId: `r-${i % 12}`,
  type: i % 2 === 0 ? 'login' : 'purchase',
  occurredAt: `2026-11-${String((i % 20) + 1).padStart(2, '0')}T12:00:00Z`,
}));
/** Every day a last activity can fall on here: the customers' own (Oct 1) and the events' (Nov 1–20). */
const DAYS = [
  '2026-10-01',
  ...Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`),
];

/** Fails the next `n` writes of a customer's activity (the step after an event's row is stored). */
function failActivityUpdates(client: DynamoDBDocumentClient): { arm(n: number): void } {
  let left = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input: unknown = args.input;
      const expression =
        typeof input === 'object' && input !== null && 'UpdateExpression' in input
          ? String(input.UpdateExpression)
          : '';
      if (left > 0 && expression.includes('activity')) {
        left--;
        throw new Error('ProvisionedThroughputExceededException (injected)');
      }
      return next(args);
    },
    { step: 'initialize', name: 'failActivityUpdates' },
  );
  return {
    arm: (n) => {
      left = n;
    },
  };
}

async function stateOf(store: DynamoStores) {
  const lastActive = await Promise.all(DAYS.map((d) => store.due.customersLastActiveOn(d)));
  const records = await Promise.all(CUSTOMERS.map((c) => store.customers.customerRecords(c.id)));
  return {
    lastActive: DAYS.map((d, i) => [d, [...(lastActive[i] ?? [])].sort()] as const).filter(
      ([, ids]) => ids.length,
    ),
    events: records.map((r) => r.events.map((e) => e.id).sort()),
  };
}

let clean: DynamoStores;
let retried: DynamoStores;
let faults: { arm(n: number): void };
beforeAll(async () => {
  ({ store: clean } = await createTestStore());
  const flaky = await createTestStore();
  retried = flaky.store;
  faults = failActivityUpdates(flaky.client);
  for (const store of [clean, retried]) await store.documents.putCustomers(CUSTOMERS);
});

describe('an import whose write pass fails part-way, against DynamoDB Local', () => {
  it('an events import that fails after its rows are written completes on retry, with last activity and references as after a clean import', async () => {
    expect(await importDocuments(EVENTS, 'events', clean)).toEqual({
      ok: true,
      count: 60,
      written: 60,
      newEvents: 60,
    });

    faults.arm(3);
    const failed = await importDocuments(EVENTS, 'events', retried).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ImportIncompleteError);
    // The rows are there (the conditional puts succeeded); some customers' activity is not.
    expect(await stateOf(retried)).not.toEqual(await stateOf(clean));

    const again = await importDocuments(EVENTS, 'events', retried);
    // Conditional by id: none is new a second time, and the follow-ups are finished all the same.
    expect(again).toEqual({ ok: true, count: 60, written: 60, newEvents: 0 });
    expect(await stateOf(retried)).toEqual(await stateOf(clean));
  });
});
