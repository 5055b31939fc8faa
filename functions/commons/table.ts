// The one DynamoDB table, for a handler that builds only the store ports it uses (each port is
// its own module, so a bundle holds only those). One traced client per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export { systemClock } from '../../shared/ports/clock.js';

import { Table } from '../../shared/store/table.js';

export function cloudTable(tableName: string, trace: <C>(client: C) => C = (c) => c): Table {
  const client = DynamoDBDocumentClient.from(trace(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new Table(client, tableName);
}
