// Once per deployed table after the deploy that adds byEmail (docs/table-design.md, "byEmail"):
// gives the profiles written before it their emailKey, so the console's search finds them by email.
//   npx tsx scripts/backfill-email-keys.ts --table <table name>   (the default AWS credentials)
// Idempotent: a marker item records that it finished; a rerun reads nothing.
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { backfillEmailKeys } from '../shared/store/email-key-backfill.js';

const { values } = parseArgs({ options: { table: { type: 'string' } } });
const table = z.string().min(3).max(255).safeParse(values.table);
if (!table.success) {
  console.error('usage: npx tsx scripts/backfill-email-keys.ts --table <table name>');
  process.exit(2);
}
const base = new DynamoDBClient({});
const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
const report = await backfillEmailKeys({ client, tableName: table.data });
console.log(
  report.ran
    ? `emailKey: ${report.updated} profiles given their key, ${report.skipped} changed meanwhile (keyed by their writer)`
    : 'emailKey: done already (marker item MIGRATIONS/emailKey)',
);
base.destroy();
