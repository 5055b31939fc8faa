// (c) Planning a campaign day among 8,000 customers reads what the due customers cost, not the
// table: from DynamoDB's ConsumedCapacity, the plan's reads stay within 2x of BatchGet'ing only the
// due customers' profiles plus the ledger, cap and suppression lookups they need.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Customer, defaultSettings } from '../../../shared/domain/documents.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { planDayTouches } from '../../../shared/usecases/plan-day.js';
import { createTestStore } from '../support/ddb.js';
import { customer, exampleCampaign } from '../support/fixtures.js';

// Among 20,000 the plan read 6 RCU against a floor of 40; a Scan of 8,000 profiles costs hundreds:
// enough to tell them apart. The curve to 1,000,000 customers is `npm run bench -- selection` (bench/RESULTS.md).
const TOTAL = 8_000;
const DUE = 80;
const DATE = '2025-09-14';

let store: DynamoStores;
const dueIds: string[] = [];

beforeAll(async () => {
  ({ store } = await createTestStore());
  await store.settings.putSettings(defaultSettings());
  await store.campaigns.putCampaign(exampleCampaign('birthday'));
  const customers: Customer[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const id = `pc-${String(i).padStart(5, '0')}`;
    const due = i % (TOTAL / DUE) === 0;
    // Everyone else is born on another day of the year, never 09-14.
    let monthDay = new Date(Date.UTC(2001, 0, 1 + (i % 365))).toISOString().slice(5, 10);
    if (monthDay === '09-14') monthDay = '09-15';
    if (due) dueIds.push(id);
    customers.push(customer({ id, birthday: due ? `1985-09-14` : monthDay }));
  }
  await store.documents.putCustomers(customers);
}, 300_000);

describe('the plan of one day among 8,000 customers', () => {
  it('reads < 2x what BatchGet of the due customers and their lookups costs', async () => {
    store.resetCapacity();
    const touches = await planDayTouches({ store }, { date: DATE });
    const planRcu = store.capacity.read;
    expect(touches.map((t) => t.customerId).sort()).toEqual(dueIds);

    // The floor: the due profiles, their ledger rows, cap counts and suppression entries, nothing else.
    store.resetCapacity();
    const profiles = await store.due.getCustomers(dueIds);
    await store.ledger.getDeliveries(touches);
    await Promise.all(
      touches.map((t) => store.ledger.countedDueDates(t.customerId, t.channel, '2025-09-08', DATE)),
    );
    await store.suppression.suppressedAmong([...profiles.values()].map((c) => c.email ?? ''));
    const floorRcu = store.capacity.read;

    expect(floorRcu).toBeGreaterThan(0);
    console.info(
      `plan of ${DUE} due among ${TOTAL}: ${planRcu} RCU; floor ${floorRcu} RCU; ratio ${(planRcu / floorRcu).toFixed(2)}`,
    );
    expect(planRcu, `plan ${planRcu} RCU vs floor ${floorRcu} RCU`).toBeLessThan(2 * floorRcu);
  });
});
