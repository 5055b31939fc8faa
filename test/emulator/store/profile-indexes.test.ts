// The customer day indexes carry the profile document (PROFILE_INDEX_ATTRS), so planning reads a
// day's due profiles with the index Query, billed by their bytes, instead of a BatchGet billed 4 KB
// per profile (bench/RESULTS.md, "Where a day's reads go"). A table made before them still plans
// (the KEYS_ONLY indexes and a BatchGet) until ensureTables, or a cloud deploy, adds them.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type CfnTemplate, ensureTables } from '../../../local/assembly-tables.js';
import type { Customer } from '../../../shared/domain/documents.js';
import { index, legacyIndex } from '../../../shared/store/keys.js';
import { type DynamoStores, dynamoStores } from '../../../shared/store/stores.js';
import { ownDynamoDbLocal, storeTemplate } from '../support/ddb.js';
import { customer } from '../support/fixtures.js';

const DAY = '07-14';
const ACTIVE_DAY = '2026-10-01';
const TOTAL = 400;
const DUE = 40;

// Its own DynamoDB Local: in the shared one, after the rest of the emulator tier, a GSI added by
// UpdateTable was seen to stay CREATING past a minute (in CI, never alone); this file proves the
// migration, not how the shared instance ages.
const own = ownDynamoDbLocal();

const population: Customer[] = Array.from({ length: TOTAL }, (_, i) => {
  const id = `pi-${String(i).padStart(4, '0')}`;
  const due = i % (TOTAL / DUE) === 0;
  let monthDay = new Date(Date.UTC(2001, 0, 1 + (i % 365))).toISOString().slice(5, 10);
  if (monthDay === DAY) monthDay = '07-15';
  return customer({
    id,
    birthday: due ? `1990-${DAY}` : monthDay,
    lastActivityAt: due ? `${ACTIVE_DAY}T12:00:00Z` : '2026-09-01T12:00:00Z',
    attributes: { segment: `s${i % 7}` },
  });
});
const dueIds = population.filter((_, i) => i % (TOTAL / DUE) === 0).map((c) => c.id);

const gsiList = z.array(
  z.object({ IndexName: z.string(), KeySchema: z.array(z.unknown()), Projection: z.unknown() }).loose(),
);

/** The Store's template as it was before the profile indexes: the same keys, KEYS_ONLY, old names. */
function templateBeforeProfileIndexes(): CfnTemplate {
  const template = storeTemplate();
  const legacyName = new Map<string, string>([
    [index.byBirthdayProfile, legacyIndex.byBirthday],
    [index.byLastActivityProfile, legacyIndex.byLastActivity],
  ]);
  for (const resource of Object.values(template.Resources)) {
    const props = resource.Properties;
    if (!props || props.GlobalSecondaryIndexes === undefined) continue;
    props.GlobalSecondaryIndexes = gsiList.parse(props.GlobalSecondaryIndexes).map((g) => {
      const legacy = legacyName.get(g.IndexName);
      return legacy ? { ...g, IndexName: legacy, Projection: { ProjectionType: 'KEYS_ONLY' } } : g;
    });
  }
  return template;
}

async function storeOn(
  template: CfnTemplate,
  prefix: string,
): Promise<{ store: DynamoStores; name: string }> {
  const tables = await ensureTables(own.base(), template, { tableNamePrefix: prefix });
  const name = [...tables.values()][0] ?? '';
  return { store: dynamoStores({ client: own.client(), tableName: name }), name };
}

const { indexNames } = own;

describe('the customer day indexes carry the profiles planning reads', () => {
  let store: DynamoStores;
  beforeAll(async () => {
    ({ store } = await storeOn(storeTemplate(), `pi${randomUUID().slice(0, 8)}-`));
    await store.documents.putCustomers(population);
  }, 60_000);

  it("reads a day's due profiles at their bytes' price through the index, not 4 KB each by BatchGet", async () => {
    store.resetCapacity();
    const born = await store.due.profilesBornOn(DAY);
    const throughIndex = store.capacity.read;
    expect(born.map((c) => c.id)).toEqual(dueIds);
    expect(born).toEqual(dueIds.map((id) => population.find((c) => c.id === id)));

    store.resetCapacity();
    const batchGet = await store.due.getCustomers(dueIds);
    const perProfile = store.capacity.read;
    expect(batchGet.size).toBe(DUE);
    // A BatchGet bills 0.5 RCU a profile (4 KB, eventually consistent): 20 RCU for 40. The Query
    // bills each shard's bytes rounded up to 4 KB: 40 profiles of ~300 bytes over 8 shards, 4 RCU.
    expect(perProfile).toBe(DUE * 0.5);
    expect(throughIndex, `index ${throughIndex} RCU, BatchGet ${perProfile} RCU`).toBeLessThanOrEqual(
      perProfile / 4,
    );

    store.resetCapacity();
    const active = await store.due.profilesLastActiveOn(ACTIVE_DAY);
    expect(active.map((c) => c.id)).toEqual(dueIds);
    expect(store.capacity.read).toBeLessThanOrEqual(perProfile / 4);
  });

  it('keeps loading at one write unit per item and per index entry: the entries stay under 1 KB', async () => {
    const { store: fresh } = await storeOn(storeTemplate(), `piw${randomUUID().slice(0, 8)}-`);
    fresh.resetCapacity();
    await fresh.documents.putCustomers(population.slice(0, 50));
    // The profile, its birthday entry, its last-activity entry and (every fixture customer has an
    // email) its byEmail entry, KEYS_ONLY since issue 15: one unit each.
    expect(fresh.capacity.write).toBe(50 * 4);
  });
});

describe('a table made before the profile indexes', () => {
  it('still plans from the KEYS_ONLY indexes and a BatchGet while its profile indexes are missing', async () => {
    const { store, name } = await storeOn(templateBeforeProfileIndexes(), `pio${randomUUID().slice(0, 8)}-`);
    expect(await indexNames(name)).toContain(legacyIndex.byBirthday);
    expect(await indexNames(name)).not.toContain(index.byBirthdayProfile);
    await store.documents.putCustomers(population);

    expect((await store.due.profilesBornOn(DAY)).map((c) => c.id)).toEqual(dueIds);
    expect((await store.due.profilesLastActiveOn(ACTIVE_DAY)).map((c) => c.id)).toEqual(dueIds);
  });

  it('gains the profile indexes with its data on ensureTables, and loses the KEYS_ONLY ones', async () => {
    const prefix = `pim${randomUUID().slice(0, 8)}-`;
    const before = await storeOn(templateBeforeProfileIndexes(), prefix);
    await before.store.documents.putCustomers(population);

    const { store, name } = await storeOn(storeTemplate(), prefix);
    expect(name).toBe(before.name);
    const names = await indexNames(name);
    expect(names).toContain(index.byBirthdayProfile);
    expect(names).toContain(index.byLastActivityProfile);
    expect(names).not.toContain(legacyIndex.byBirthday);
    expect(names).not.toContain(legacyIndex.byLastActivity);

    // Backfilled: the profiles written before the index existed are read through it.
    store.resetCapacity();
    expect((await store.due.profilesBornOn(DAY)).map((c) => c.id)).toEqual(dueIds);
    expect(store.capacity.read).toBeLessThanOrEqual((DUE * 0.5) / 4);
  });
});
