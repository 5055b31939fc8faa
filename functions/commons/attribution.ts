// The stores attribution reads and writes (shared/usecases/results/attribute.ts), for a handler
// whose data may be a campaign's conversion (events, SMS replies, contract imports). Built once per
// cold start, beside the Documents adapter the handler already has.
import { Campaigns } from '../../shared/store/campaigns.js';
import { ConversionRows } from '../../shared/store/conversions.js';
import type { CustomerData } from '../../shared/store/customer-data.js';
import type { Documents } from '../../shared/store/documents.js';
import { ResultRows } from '../../shared/store/results.js';
import type { Table } from '../../shared/store/table.js';
import type { AttributionStores } from '../../shared/usecases/results/attribute.js';
import { systemClock } from './table.js';

export function attributionStores(
  table: Table,
  parts: { customers: CustomerData; documents: Documents },
): AttributionStores {
  const campaigns = new Campaigns(table, systemClock);
  return {
    campaigns,
    customers: parts.customers,
    settings: parts.documents,
    conversions: new ConversionRows(table),
    results: new ResultRows(table, campaigns),
  };
}
