import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  type ITableV2,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  attr,
  CONTRACT_INDEX_ATTRS,
  EVENT_INDEX_ATTRS,
  index,
  legacyIndex,
  PROFILE_INDEX_ATTRS,
} from '../../shared/store/keys.js';

/**
 * The steps from the KEYS_ONLY customer day indexes to the profile indexes for a stack deployed
 * before them, one GSI created or deleted per update (DynamoDB's and CloudFormation's limit): each
 * step lists what it keeps and adds. Every step is without byEmail; absent: the final layout, with
 * it (docs/table-design.md).
 */
export const DAY_INDEX_MIGRATION = {
  1: { legacy: [legacyIndex.byLastActivity, legacyIndex.byBirthday], profile: [index.byBirthdayProfile] },
  2: {
    legacy: [legacyIndex.byLastActivity, legacyIndex.byBirthday],
    profile: [index.byBirthdayProfile, index.byLastActivityProfile],
  },
  3: {
    legacy: [legacyIndex.byLastActivity],
    profile: [index.byBirthdayProfile, index.byLastActivityProfile],
  },
  // The final day-index layout, before byEmail (issue 15): a stack at step 3 deletes byLastActivity
  // here and gains byEmail in the next deploy, never both in one.
  4: { legacy: [], profile: [index.byBirthdayProfile, index.byLastActivityProfile] },
} as const;
export type DayIndexMigrationStep = keyof typeof DAY_INDEX_MIGRATION;

export interface StoreProps {
  /** Keep the table (and its data) when the stack is deleted. Default: RETAIN. */
  removalPolicy?: RemovalPolicy;
  /** A step of the customer day indexes' migration (context `dayIndexMigration`); absent: done. */
  dayIndexMigration?: DayIndexMigrationStep | undefined;
}

/**
 * The one DynamoDB table: customers, contracts, events, campaigns, the suppression list, the
 * delivery ledger and run plans. Every planning anchor has a sparse, sharded day index so a run
 * reads only what is due (DESIGN decision 1); projections carry only what planning needs.
 */
export class Store extends Construct {
  readonly table: ITableV2;

  constructor(scope: Construct, id: string, props: StoreProps = {}) {
    super(scope, id);
    const s = (name: string) => ({ name, type: AttributeType.STRING });
    const dayIndex = (indexName: string, key: string) => ({
      indexName,
      partitionKey: s(key),
      sortKey: s(attr.pk),
    });
    const keyOf = (name: string) =>
      name === index.byBirthdayProfile || name === legacyIndex.byBirthday
        ? attr.birthdayDay
        : attr.lastActivityDay;
    const step =
      props.dayIndexMigration === undefined ? undefined : DAY_INDEX_MIGRATION[props.dayIndexMigration];
    const profileIndexes: readonly string[] = step?.profile ?? [
      index.byLastActivityProfile,
      index.byBirthdayProfile,
    ];
    // The customer day indexes carry the profile document, so a day's due profiles are read with
    // the Query, billed by their bytes, instead of a BatchGet billed 4 KB per profile.
    const customerDayIndexes = [
      ...(step?.legacy ?? []).map((name) => ({
        ...dayIndex(name, keyOf(name)),
        projectionType: ProjectionType.KEYS_ONLY,
      })),
      ...profileIndexes.map((name) => ({
        ...dayIndex(name, keyOf(name)),
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...PROFILE_INDEX_ATTRS],
      })),
    ];
    this.table = new TableV2(this, 'Table', {
      partitionKey: s(attr.pk),
      sortKey: s(attr.sk),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [
        {
          ...dayIndex(index.byContractEnd, attr.contractEndDay),
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...CONTRACT_INDEX_ATTRS],
        },
        {
          ...dayIndex(index.byContractStart, attr.contractStartDay),
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...CONTRACT_INDEX_ATTRS],
        },
        ...customerDayIndexes,
        {
          ...dayIndex(index.byEventDay, attr.eventDay),
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...EVENT_INDEX_ATTRS],
        },
        {
          indexName: index.byCampaign,
          partitionKey: s(attr.ledgerCampaign),
          sortKey: s(attr.ledgerCampaignSk),
          projectionType: ProjectionType.KEYS_ONLY,
        },
        // Only profiles with a phone: the inbound SMS handler finds its sender by number.
        { indexName: index.byPhone, partitionKey: s(attr.phone), projectionType: ProjectionType.KEYS_ONLY },
        // Only profiles with an email: the console's customer search (one GSI change after step 4).
        ...(step === undefined
          ? [
              {
                indexName: index.byEmail,
                partitionKey: s(attr.email),
                projectionType: ProjectionType.KEYS_ONLY,
              },
            ]
          : []),
      ],
      localSecondaryIndexes: [
        { indexName: index.byChannelDay, sortKey: s(attr.capKey), projectionType: ProjectionType.KEYS_ONLY },
      ],
    });
  }
}
