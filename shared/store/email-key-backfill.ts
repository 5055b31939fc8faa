// The byEmail backfill (docs/table-design.md, "byEmail"): profiles written before issue 15 have no
// `emailKey`, so the index DynamoDB backfilled when byEmail was created holds none of them. This
// gives each such profile its key. It is the one Scan in the code, and a migration, not a product
// path: it runs once per table (a marker item records that it finished), locally when the runtime
// opens a data dir, in the cloud once by `npx tsx scripts/backfill-email-keys.ts --table <name>`.
// Each write is conditional on the profile's email being what was read, so a profile changed
// meanwhile is left to its own writer (which sets the key itself).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { normalizeEmail } from '../domain/addresses.js';
import { attr } from './keys.js';

export const EMAIL_BACKFILL_MARKER = { pk: 'MIGRATIONS', sk: 'emailKey' } as const;

const profile = z.object({ pk: z.string(), sk: z.string(), doc: z.object({ email: z.string() }) });

export interface EmailBackfillReport {
  /** False when the marker said it was done already (nothing read). */
  ran: boolean;
  /** Profiles without a key that were given one. */
  updated: number;
  /** Profiles whose email changed between the read and the write (their writer set the key). */
  skipped: number;
}

export async function backfillEmailKeys(opts: {
  client: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}): Promise<EmailBackfillReport> {
  const { client, tableName } = opts;
  const marker = await client.send(
    new GetCommand({ TableName: tableName, Key: EMAIL_BACKFILL_MARKER, ConsistentRead: true }),
  );
  if (marker.Item) return { ran: false, updated: 0, skipped: 0 };
  let updated = 0;
  let skipped = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :profile AND attribute_exists(#doc.#email) AND attribute_not_exists(#key)',
        ProjectionExpression: 'pk, sk, #doc.#email',
        ExpressionAttributeNames: { '#doc': 'doc', '#email': 'email', '#key': attr.email },
        ExpressionAttributeValues: { ':profile': 'PROFILE' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const raw of page.Items ?? []) {
      const p = profile.safeParse(raw);
      // Only customer profiles have sk PROFILE and a doc.email; anything else is not ours to touch.
      if (!p.success || !p.data.pk.startsWith('CUSTOMER#')) continue;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: p.data.pk, sk: p.data.sk },
            UpdateExpression: 'SET #key = :key',
            ConditionExpression: '#doc.#email = :email',
            ExpressionAttributeNames: { '#doc': 'doc', '#email': 'email', '#key': attr.email },
            ExpressionAttributeValues: {
              ':key': normalizeEmail(p.data.doc.email),
              ':email': p.data.doc.email,
            },
          }),
        );
        updated += 1;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        skipped += 1;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...EMAIL_BACKFILL_MARKER, doneAt: (opts.now ?? (() => new Date()))().toISOString(), updated },
    }),
  );
  return { ran: true, updated, skipped };
}
