// Attribution's records in the customer's partition (ports/conversions.ts): `RESULT#U#<campaign>#
// <occasion>` (the exposure unit) and `RESULT#C#<campaign>#<occasion>` (its conversion), each put
// once with attribute_not_exists. A customer's touches of a campaign are one Query of
// `TOUCH#<campaign>#`: the customer's own rows, never a scan. Erasure deletes them with the partition.
import * as z from 'zod';
import type { Delivery } from '../domain/touch.js';
import type { ConversionRecord, ConversionStore, ExposureUnit } from '../ports/conversions.js';
import { deliveryItemSchema, keys, parseItem, touchKeySchema } from './items.js';
import { counterDimsSchema } from './results.js';
import type { Key, Table } from './table.js';

const UNIT = 'RESULT#U#';
const CONVERSION = 'RESULT#C#';

const resultKey = (prefix: string, campaignId: string, customerId: string, occasion: string): Key => ({
  pk: keys.customer(customerId).pk,
  sk: `${prefix}${campaignId}#${occasion}`,
});

const group = z.enum(['treated', 'holdout']);
const unitSchema = z.object({
  campaignId: z.string(),
  customerId: z.string(),
  occasion: z.string(),
  group,
  dims: counterDimsSchema,
  at: z.string(),
});
const conversionSchema = unitSchema.omit({ at: true }).extend({
  sourceId: z.string(),
  at: z.string(),
  touch: touchKeySchema,
});

const unitItem = (unit: ExposureUnit) => ({
  ...resultKey(UNIT, unit.campaignId, unit.customerId, unit.occasion),
  ...unit,
});

export class ConversionRows implements ConversionStore {
  constructor(private readonly table: Table) {}

  async campaignTouches(customerId: string, campaignId: string): Promise<Delivery[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':prefix': `TOUCH#${campaignId}#` },
      ConsistentRead: true,
    });
    // The prefix alone would also match a campaign whose id extends this one's with `#…`.
    return items.map((i) => parseItem(deliveryItemSchema, i)).filter((d) => d.campaignId === campaignId);
  }

  recordUnit(unit: ExposureUnit): Promise<boolean> {
    return this.table.putNew(unitItem(unit));
  }

  recordUnits(units: readonly ExposureUnit[]): Promise<boolean[]> {
    return this.table.putAllNew(units.map(unitItem));
  }

  async getUnit(campaignId: string, customerId: string, occasion: string): Promise<ExposureUnit | undefined> {
    const item = await this.table.get(resultKey(UNIT, campaignId, customerId, occasion), {
      ConsistentRead: true,
    });
    return item ? parseItem(unitSchema, item) : undefined;
  }

  recordConversion(c: ConversionRecord): Promise<boolean> {
    return this.table.putNew({ ...resultKey(CONVERSION, c.campaignId, c.customerId, c.occasion), ...c });
  }

  async listConversions(customerId: string, campaignId?: string): Promise<ConversionRecord[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.customer(customerId).pk,
        ':prefix': campaignId === undefined ? CONVERSION : `${CONVERSION}${campaignId}#`,
      },
      ConsistentRead: true,
    });
    return items
      .map((i) => parseItem(conversionSchema, i))
      .filter((c) => campaignId === undefined || c.campaignId === campaignId);
  }
}
