// The GDPR erase reaches run items in DynamoDB Local: a run's batches and suppressed lists copy each
// touch's address and anchor record for 90 days. The erase finds them through the references the
// run store writes beside them in the customer's partition (no Scan) and anonymises the customer's
// touches and results there, leaving everyone else's as they were.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TouchKey } from '../../../shared/domain/touch.js';
import { systemClock } from '../../../shared/ports/clock.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { eraseCustomer, pseudonymOf } from '../../../shared/usecases/customers/erase-customer.js';
import { createTestStore } from '../support/ddb.js';
import { customer, touch } from '../support/fixtures.js';

const KEY = 'p'.repeat(32);
const RUN = 'run-erase-1';
const secretEvent = {
  id: 'ev-secret',
  customerId: 'c-erased',
  type: 'store.visit',
  occurredAt: '2026-10-31T10:00:00Z',
  data: { note: 'visited the Lyon store with her daughter' },
};

const keyOf = (t: TouchKey): TouchKey => ({
  campaignId: t.campaignId,
  stepId: t.stepId,
  customerId: t.customerId,
  channel: t.channel,
  occasion: t.occasion,
});

let store: DynamoStores;
let client: DynamoDBDocumentClient;
let tableName: string;

async function partition(pk: string): Promise<string[]> {
  const out = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => String(i.sk));
}

beforeAll(async () => {
  ({ store, client, tableName } = await createTestStore());
  await store.documents.putCustomers([
    customer({ id: 'c-erased', email: 'erased@example.com', phone: '+14155550123' }),
    customer({ id: 'c-kept', email: 'kept@example.com' }),
  ]);
  const erasedEmail = touch({ customerId: 'c-erased', address: 'erased@example.com', occasion: 'ev-secret' });
  const erasedSms = touch({
    customerId: 'c-erased',
    channel: 'sms',
    address: '+14155550123',
    occasion: 'ev-secret',
    event: secretEvent,
  });
  const kept = touch({ customerId: 'c-kept', address: 'kept@example.com' });
  await store.runs.putRunMeta({
    runId: RUN,
    date: '2026-11-01',
    startedAt: '2026-11-01T00:00:00Z',
    status: 'sending',
  });
  await store.runs.putRunBatches([
    { runId: RUN, batchId: 'b-0', sendAt: erasedEmail.sendAt, touches: [erasedEmail, kept] },
    { runId: RUN, batchId: 'b-1', sendAt: erasedSms.sendAt, touches: [erasedSms] },
  ]);
  await store.runs.putRunBatchResults(RUN, 'b-0', [
    { key: keyOf(erasedEmail), status: 'sent', providerMessageId: 'msg-erased-1' },
    { key: keyOf(kept), status: 'sent', providerMessageId: 'msg-kept-1' },
  ]);
  await store.runs.putRunSuppressed(RUN, [
    touch({
      customerId: 'c-erased',
      stepId: 'd60',
      status: 'suppressed',
      reason: 'holdout',
      address: 'erased@example.com',
      contract: {
        id: 'k-erased',
        customerId: 'c-erased',
        product: 'p',
        startDate: '2025-01-01',
        endDate: '2026-12-01',
        status: 'active',
      },
    }),
    touch({ customerId: 'c-kept', stepId: 'd60', status: 'suppressed', reason: 'holdout' }),
  ]);
});

describe('erase and run items', () => {
  it("erase removes the customer's addresses from run batch items", async () => {
    const before = JSON.stringify(await store.runs.getRunReport(RUN));
    expect(before).toContain('erased@example.com');

    const report = await eraseCustomer({ store, clock: systemClock, pseudonymKey: KEY }, 'c-erased');
    const anonymousId = `anon-${pseudonymOf(KEY, 'c-erased')}`;
    expect(report).toMatchObject({ anonymousId, profile: true, runTouches: 3 });

    const run = await store.runs.getRunReport(RUN);
    const text = JSON.stringify(run);
    for (const personal of [
      'c-erased',
      'erased@example.com',
      '+14155550123',
      'msg-erased-1',
      'Lyon',
      'k-erased',
    ])
      expect(text).not.toContain(personal);
    // The counts a run report shows stay: three of the customer's touches, anonymous, planning facts kept.
    const touches = [...(run?.batches.flatMap((b) => b.touches) ?? []), ...(run?.suppressed ?? [])];
    expect(touches.filter((t) => t.customerId === anonymousId)).toHaveLength(3);
    expect(touches.find((t) => t.customerId === anonymousId && t.channel === 'sms')).toMatchObject({
      campaignId: 'renewal',
      stepId: 'd30',
      status: 'planned',
      occasion: pseudonymOf(KEY, 'c-erased|ev-secret'),
    });
    expect(run?.batches[0]?.results?.map((r) => [r.key.customerId, r.status, r.providerMessageId])).toEqual([
      [anonymousId, 'sent', undefined],
      ['c-kept', 'sent', 'msg-kept-1'],
    ]);
    // Everyone else's touches are as they were.
    expect(touches.filter((t) => t.customerId === 'c-kept').map((t) => t.address)).toEqual([
      'kept@example.com',
      'c-1@example.com',
    ]);
    // The references went with the customer's partition; a second erase finds nothing.
    expect(await partition('CUSTOMER#c-erased')).toEqual([]);
    // What stays for good is a receipt under the anonymous id.
    expect(await partition('ERASURES')).toEqual([anonymousId]);
    expect(await eraseCustomer({ store, clock: systemClock, pseudonymKey: KEY }, 'c-erased')).toBeUndefined();
  });

  it('run items point back at each customer they list, expiring with the run', async () => {
    const refs = await partition('CUSTOMER#c-kept');
    expect(refs.filter((sk) => sk.startsWith('REF#RUN#'))).toEqual([
      `REF#RUN#${RUN}#BATCH#b-0`,
      `REF#RUN#${RUN}#SUPPRESSED#00000`,
    ]);
  });
});
