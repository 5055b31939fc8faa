// The byEmail index (docs/table-design.md, "byEmail"): a data dir made before it gains the index
// from ensureTables, and its old profiles their emailKey from the one-off backfill, after which the
// customer search finds them by email. Its own DynamoDB Local, as profile-indexes.test.ts: a GSI
// added by UpdateTable in the shared instance was seen to stay CREATING for a long time in CI.
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type CfnTemplate, ensureTables } from '../../../local/assembly-tables.js';
import { backfillEmailKeys } from '../../../shared/store/email-key-backfill.js';
import { attr, index } from '../../../shared/store/keys.js';
import { dynamoStores } from '../../../shared/store/stores.js';
import { searchCustomers } from '../../../shared/usecases/customers/search.js';
import { ownDynamoDbLocal, storeTemplate } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

const own = ownDynamoDbLocal();

const gsiList = z.array(z.object({ IndexName: z.string() }).loose());
const attributeList = z.array(z.object({ AttributeName: z.string() }).loose());

/** The Store's template as it was before issue 15: no byEmail, no emailKey attribute. */
function templateBeforeByEmail(): CfnTemplate {
  const template = storeTemplate();
  for (const resource of Object.values(template.Resources)) {
    const props = resource.Properties;
    if (!props || props.GlobalSecondaryIndexes === undefined) continue;
    props.GlobalSecondaryIndexes = gsiList
      .parse(props.GlobalSecondaryIndexes)
      .filter((g) => g.IndexName !== index.byEmail);
    props.AttributeDefinitions = attributeList
      .parse(props.AttributeDefinitions)
      .filter((a) => a.AttributeName !== attr.email);
  }
  return template;
}

const { indexNames } = own;

describe('a data dir made before byEmail', () => {
  it('gains the index, and its old profiles are found by email once the backfill ran (once)', async () => {
    const prefix = `em${randomUUID().slice(0, 8)}-`;
    const old = await ensureTables(own.base(), templateBeforeByEmail(), { tableNamePrefix: prefix });
    const tableName = [...old.values()][0] ?? '';
    expect(await indexNames(tableName)).not.toContain(index.byEmail);
    const store = dynamoStores({ client: own.client(), tableName });
    await store.documents.putCustomers([
      customer({ id: 'old-1', email: 'Old.One@Example.com' }),
      customer({ id: 'old-2', email: undefined }),
    ]);
    // The profiles an older version wrote have no emailKey: strip it as they would lack it.
    await own.client().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: 'CUSTOMER#old-1', sk: 'PROFILE' },
        UpdateExpression: 'REMOVE emailKey',
      }),
    );

    const again = await ensureTables(own.base(), storeTemplate(), { tableNamePrefix: prefix });
    expect([...again.values()][0]).toBe(tableName);
    expect(await indexNames(tableName)).toContain(index.byEmail);
    const search = (q: string) =>
      searchCustomers({ customers: store.customers, settings: store.settings }, q).then((r) =>
        r.customers.map((c) => c.id),
      );
    // Created and backfilled by DynamoDB, but from items without the key: not findable yet.
    expect(await search('old.one@example.com')).toEqual([]);

    expect(await backfillEmailKeys({ client: own.client(), tableName })).toEqual({
      ran: true,
      updated: 1,
      skipped: 0,
    });
    expect(await search('old.one@example.com')).toEqual(['old-1']);
    // A profile written since carries its key itself; the marker makes a second run read nothing.
    await store.documents.putCustomers([customer({ id: 'new-1', email: 'new@example.com' })]);
    expect(await search('NEW@example.com')).toEqual(['new-1']);
    expect(await backfillEmailKeys({ client: own.client(), tableName })).toEqual({
      ran: false,
      updated: 0,
      skipped: 0,
    });
  }, 120_000);
});
