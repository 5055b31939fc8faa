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
import { attr, CONTRACT_INDEX_ATTRS, EVENT_INDEX_ATTRS, index } from '../../shared/store/keys.js';

export interface StoreProps {
  /** Keep the table (and its data) when the stack is deleted. Default: RETAIN. */
  removalPolicy?: RemovalPolicy;
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
        { ...dayIndex(index.byLastActivity, attr.lastActivityDay), projectionType: ProjectionType.KEYS_ONLY },
        { ...dayIndex(index.byBirthday, attr.birthdayDay), projectionType: ProjectionType.KEYS_ONLY },
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
      ],
      localSecondaryIndexes: [
        { indexName: index.byChannelDay, sortKey: s(attr.capKey), projectionType: ProjectionType.KEYS_ONLY },
      ],
    });
  }
}
