// The worked example's files (examples/), parsed with the contract's schemas.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Campaign,
  type Contract,
  type Customer,
  type CustomerEvent,
  campaignSchema,
  contractSchema,
  customerSchema,
  eventSchema,
  type Settings,
  settingsSchema,
} from '../../../shared/domain/documents.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

const ndjson = (file: string): unknown[] =>
  readFileSync(join(EXAMPLES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l): unknown => JSON.parse(l));

export interface ExampleData {
  settings: Settings;
  customers: Customer[];
  contracts: Contract[];
  events: CustomerEvent[];
  campaigns: Campaign[];
}

export function loadExamples(): ExampleData {
  const campaignDir = join(EXAMPLES, 'campaigns');
  return {
    settings: settingsSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, 'settings.json'), 'utf8'))),
    customers: ndjson('customers.ndjson').map((x) => customerSchema.parse(x)),
    contracts: ndjson('contracts.ndjson').map((x) => contractSchema.parse(x)),
    events: ndjson('events.ndjson').map((x) => eventSchema.parse(x)),
    campaigns: readdirSync(campaignDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => campaignSchema.parse(JSON.parse(readFileSync(join(campaignDir, f), 'utf8')))),
  };
}
