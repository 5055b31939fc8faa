// The worked example's files (examples/), parsed with the contract's schemas, and a tiny
// in-memory due reader that answers the way the day indexes do.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ActivityByType,
  effectiveLastActivityAt,
  recordActivity,
} from '../../../shared/domain/activity.js';
import { birthdayMonthDay, localDate } from '../../../shared/domain/calendar.js';
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
import type { DueReader } from '../../../shared/ports/due.js';

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

/** Filters the parsed arrays the way the store's day indexes would. */
export class InMemoryDueReader implements DueReader {
  private readonly byId: Map<string, Customer>;
  private readonly activity = new Map<string, ActivityByType>();

  constructor(private readonly data: ExampleData) {
    this.byId = new Map(data.customers.map((c) => [c.id, c]));
    for (const e of data.events)
      this.activity.set(
        e.customerId,
        recordActivity(this.activity.get(e.customerId) ?? {}, e.type, e.occurredAt),
      );
  }

  async contractsEndingOn(day: string) {
    return this.data.contracts.filter((c) => c.status === 'active' && c.endDate === day);
  }
  async contractsStartingOn(day: string) {
    return this.data.contracts.filter((c) => c.status === 'active' && c.startDate === day);
  }
  async customersLastActiveOn(day: string) {
    return this.data.customers
      .filter((c) => {
        const at = effectiveLastActivityAt(c, this.activity.get(c.id) ?? {}, this.data.settings);
        return at !== undefined && localDate(at, c.timeZone) === day;
      })
      .map((c) => c.id);
  }
  async customersBornOn(monthDay: string) {
    return this.data.customers
      .filter((c) => c.birthday !== undefined && birthdayMonthDay(c.birthday) === monthDay)
      .map((c) => c.id);
  }
  async eventsOn(type: string, day: string) {
    return this.data.events.filter((e) => {
      const c = this.byId.get(e.customerId);
      return e.type === type && c !== undefined && localDate(e.occurredAt, c.timeZone) === day;
    });
  }
  async getCustomers(ids: readonly string[]) {
    return new Map(
      ids.flatMap((id) => {
        const c = this.byId.get(id);
        return c ? [[id, c] as const] : [];
      }),
    );
  }
}
