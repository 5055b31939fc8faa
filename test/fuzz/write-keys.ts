// The keys a DynamoDB client writes, recorded by a middleware on its stack: a fuzz edge whose refusals
// may write exactly one kind of item (the partner log's refusal counter) asserts the key of every
// write, so any other write still fails it. Both shapes are read: the document client's plain values
// and the low-level client's attribute values ({ S: … }).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

export interface WrittenKey {
  command: string;
  pk: string;
  sk: string;
}

const attr = z.union([z.string(), z.object({ S: z.string() }).transform((a) => a.S)]);
const keyOf = z.object({ pk: attr, sk: attr }).loose();
const writeInput = z
  .object({
    Item: keyOf.optional(),
    Key: keyOf.optional(),
    RequestItems: z
      .record(
        z.string(),
        z.array(
          z
            .object({
              PutRequest: z.object({ Item: keyOf }).optional(),
              DeleteRequest: z.object({ Key: keyOf }).optional(),
            })
            .loose(),
        ),
      )
      .optional(),
    TransactItems: z
      .array(
        z
          .object({
            Put: z.object({ Item: keyOf }).loose().optional(),
            Update: z.object({ Key: keyOf }).loose().optional(),
            Delete: z.object({ Key: keyOf }).loose().optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

const WRITES = new Set([
  'PutItemCommand',
  'PutCommand',
  'UpdateItemCommand',
  'UpdateCommand',
  'DeleteItemCommand',
  'DeleteCommand',
  'BatchWriteItemCommand',
  'BatchWriteCommand',
  'TransactWriteItemsCommand',
  'TransactWriteCommand',
]);

/** Starts recording; `take()` returns and clears what was written since the last take. */
export function recordWrites(client: DynamoDBDocumentClient): { take(): WrittenKey[] } {
  let written: WrittenKey[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (WRITES.has(command)) {
        const input = writeInput.parse(args.input);
        const keys = [
          input.Item,
          input.Key,
          ...Object.values(input.RequestItems ?? {}).flatMap((rs) =>
            rs.map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key),
          ),
          ...(input.TransactItems ?? []).map((t) => t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key),
        ];
        for (const k of keys) if (k) written.push({ command, pk: k.pk, sk: k.sk });
        // A write whose key this reader cannot see still counts, as a key nothing allows.
        if (keys.every((k) => k === undefined)) written.push({ command, pk: '?', sk: '?' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'fuzzRecordWrites' },
  );
  return {
    take() {
      const out = written;
      written = [];
      return out;
    },
  };
}
