// The suppression list: one partition, one item per address. Callers normalize (the suppression
// use case and delivery feedback do), so the run's Lambdas need no phone metadata to read it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { SuppressionEntry, SuppressionStore } from '../ports/suppression.js';
import { keys, parseItem, suppressionItemSchema } from './items.js';
import type { Table } from './table.js';

export class Suppressions implements SuppressionStore {
  constructor(private readonly table: Table) {}

  async addSuppression(entry: SuppressionEntry): Promise<void> {
    await this.table.put({ ...keys.suppression(entry.address), ...entry });
  }

  async removeSuppression(address: string): Promise<boolean> {
    const key = keys.suppression(address);
    try {
      await this.table.delete(key, { ConditionExpression: 'attribute_exists(pk)' });
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async listSuppressions(): Promise<SuppressionEntry[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.suppression('').pk },
    });
    return items.map((item) => parseItem(suppressionItemSchema, item));
  }

  async getSuppression(address: string): Promise<SuppressionEntry | undefined> {
    const item = await this.table.get(keys.suppression(address));
    return item ? parseItem(suppressionItemSchema, item) : undefined;
  }

  async suppressedAmong(addresses: readonly string[]): Promise<Set<string>> {
    const items = await this.table.batchGet(addresses.map(keys.suppression), { projection: 'sk' });
    return new Set(items.map((i) => String(i.sk)));
  }
}
