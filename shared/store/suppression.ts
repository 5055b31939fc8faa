// The suppression list: one partition, one item per normalized address.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { normalizeAddress } from '../domain/addresses.js';
import type { SuppressionEntry, SuppressionStore } from '../ports/suppression.js';
import { keys, parseItem, suppressionItemSchema } from './items.js';
import type { Table } from './table.js';

export class Suppressions implements SuppressionStore {
  constructor(private readonly table: Table) {}

  async addSuppression(entry: SuppressionEntry): Promise<void> {
    // Normalizing here too means a caller that forgot cannot create an entry nothing matches.
    const address = normalizeAddress(entry.address).address;
    await this.table.put({ ...keys.suppression(address), ...entry, address });
  }

  async removeSuppression(address: string): Promise<boolean> {
    const key = keys.suppression(normalizeAddress(address).address);
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

  async suppressedAmong(addresses: readonly string[]): Promise<Set<string>> {
    const items = await this.table.batchGet(addresses.map(keys.suppression), { projection: 'sk' });
    return new Set(items.map((i) => String(i.sk)));
  }
}
