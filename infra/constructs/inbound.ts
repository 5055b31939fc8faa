import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_NAMES } from '../../shared/config/events.js';
import { HouseFunction } from './house-function.js';

export interface InboundProps {
  table: ITableV2;
  /** The project bus: partner customer events. */
  bus: IEventBus;
  /** The account's default bus: SES and SMS delivery events. */
  defaultBus: IEventBus;
  /** Only this configuration set's SES events are ours. */
  configurationSetName: string;
  /** The SMS configuration set's event destination: End User Messaging SMS events. */
  smsEvents: ITopic;
}

/**
 * What flows in: partner customer events (project bus) into the store; delivery events — SES's over
 * the default bus, End User Messaging SMS's over their SNS topic — into the ledger, the suppression
 * list and consent (docs/delivery-feedback.md). Events a target cannot take after its retries land
 * in a DLQ for redrive.
 */
export class Inbound extends Construct {
  readonly ingestEvent: HouseFunction<'ingest-event'>;
  readonly deliveryEvents: HouseFunction<'delivery-events'>;
  readonly targetDlq: Queue;
  readonly rules: Rule[];

  constructor(scope: Construct, id: string, props: InboundProps) {
    super(scope, id);
    this.targetDlq = new Queue(this, 'TargetDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const target = (fn: HouseFunction<'ingest-event' | 'delivery-events'>) =>
      new LambdaFunction(fn, {
        deadLetterQueue: this.targetDlq,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      });

    this.ingestEvent = new HouseFunction(this, 'IngestEvent', {
      name: 'ingest-event',
      description: 'Partner customer event → store (idempotent by event id)',
    }).bindTable(props.table);

    this.deliveryEvents = new HouseFunction(this, 'DeliveryEvents', {
      name: 'delivery-events',
      description: 'SES / SMS delivery events → ledger and suppression list',
    }).bindTable(props.table);

    const partnerEvents = new Rule(this, 'PartnerEvents', {
      eventBus: props.bus,
      description: 'Partner customer events → ingest-event',
      eventPattern: { source: [EVENT_NAMES.partnerSource], detailType: [EVENT_NAMES.customerEvent] },
      targets: [target(this.ingestEvent)],
    });
    const emailEvents = new Rule(this, 'EmailDeliveryEvents', {
      eventBus: props.defaultBus,
      description: "This stack's SES events → delivery-events",
      eventPattern: {
        source: [EVENT_NAMES.sesSource],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
      targets: [target(this.deliveryEvents)],
    });
    // End User Messaging SMS cannot publish to EventBridge: its events come over SNS, and Lambda's
    // asynchronous retries, then the same DLQ, cover them.
    props.smsEvents.addSubscription(
      new LambdaSubscription(this.deliveryEvents, { deadLetterQueue: this.targetDlq }),
    );
    this.rules = [partnerEvents, emailEvents];
  }
}
