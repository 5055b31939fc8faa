// A deployed stack reaches the profile day indexes one GSI per update (DynamoDB's and
// CloudFormation's limit), from the KEYS_ONLY layout through `-c dayIndexMigration=1..4` to the
// final layout, which adds byEmail (docs/table-design.md, "Migrating the customer day indexes").
// A stack already at the final day-index layout before byEmail gains it in one deploy, no flag.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type DayIndexMigrationStep, Store } from '../../infra/constructs/store.js';
import { TouchpointSettings } from '../../infra/settings.js';
import { index, legacyIndex, PROFILE_INDEX_ATTRS } from '../../shared/store/keys.js';

const gsis = z.array(
  z.object({
    IndexName: z.string(),
    Projection: z.object({ ProjectionType: z.string(), NonKeyAttributes: z.array(z.string()).optional() }),
  }),
);

/** The table's GSIs (name → projection) for a migration step, or the final layout. */
function indexesAt(step?: DayIndexMigrationStep): Map<string, z.infer<typeof gsis>[number]['Projection']> {
  const stack = new Stack(new App(), 'S');
  new Store(stack, 'Store', { dayIndexMigration: step });
  const tables = Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable');
  const props = Object.values(tables)[0]?.Properties;
  return new Map(gsis.parse(props?.GlobalSecondaryIndexes).map((g) => [g.IndexName, g.Projection]));
}

/** The layout a stack deployed before issue 14 has: the same table, KEYS_ONLY customer day indexes. */
function before(): Map<string, unknown> {
  const out = new Map<string, unknown>(indexesAt());
  out.delete(index.byEmail);
  out.delete(index.byBirthdayProfile);
  out.delete(index.byLastActivityProfile);
  out.set(legacyIndex.byLastActivity, { ProjectionType: 'KEYS_ONLY' });
  out.set(legacyIndex.byBirthday, { ProjectionType: 'KEYS_ONLY' });
  return out;
}

const changes = (a: Map<string, unknown>, b: Map<string, unknown>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter(
    (name) => !a.has(name) || !b.has(name) || JSON.stringify(a.get(name)) !== JSON.stringify(b.get(name)),
  );

describe('migrating the customer day indexes', () => {
  it('changes one GSI per deploy, from the KEYS_ONLY layout to the profile indexes', () => {
    const layouts = [before(), indexesAt(1), indexesAt(2), indexesAt(3), indexesAt(4), indexesAt()];
    const steps = layouts.slice(1).map((layout, i) => changes(layouts[i] ?? new Map(), layout));
    expect(steps).toEqual([
      [index.byBirthdayProfile],
      [index.byLastActivityProfile],
      [legacyIndex.byBirthday],
      [legacyIndex.byLastActivity],
      [index.byEmail],
    ]);
  });

  it('gives a stack at the final day-index layout before issue 15 byEmail alone, KEYS_ONLY', () => {
    const withoutEmail = new Map<string, unknown>(indexesAt());
    withoutEmail.delete(index.byEmail);
    expect(changes(withoutEmail, indexesAt())).toEqual([index.byEmail]);
    expect(changes(indexesAt(4), withoutEmail)).toEqual([]);
    expect(indexesAt().get(index.byEmail)).toEqual({ ProjectionType: 'KEYS_ONLY' });
  });

  it('ends with both profile indexes carrying exactly the profile document, and no KEYS_ONLY ones', () => {
    const final = indexesAt();
    for (const name of [index.byBirthdayProfile, index.byLastActivityProfile])
      expect(final.get(name)).toEqual({
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: [...PROFILE_INDEX_ATTRS],
      });
    expect(final.has(legacyIndex.byBirthday) || final.has(legacyIndex.byLastActivity)).toBe(false);
  });

  it('takes the step from context (-c dayIndexMigration=2 arrives as a string) and refuses others', () => {
    expect(TouchpointSettings.parse({ dayIndexMigration: '2' }).dayIndexMigration).toBe(2);
    expect(TouchpointSettings.parse({}).dayIndexMigration).toBeUndefined();
    expect(TouchpointSettings.parse({ dayIndexMigration: '4' }).dayIndexMigration).toBe(4);
    expect(TouchpointSettings.safeParse({ dayIndexMigration: '5' }).success).toBe(false);
  });
});
