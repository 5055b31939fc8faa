import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { CfnConfigurationSet as CfnSmsConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** End User Messaging's service principal: it publishes SMS events to the topic as this. */
const SMS_VOICE = 'sms-voice.amazonaws.com';

export interface MessagingProps {
  senderEmail: string;
  /** Create the SES domain identity for this domain (publish its DKIM records afterwards). */
  senderDomain?: string;
  /** End User Messaging SMS origination identity ARN; undefined disables SMS sends. */
  smsOriginationIdentity?: string;
  /** The SMS identity's messages per second, shared by every sender. */
  smsMaxPerSecond: number;
}

/**
 * The event spine and the channels: the project bus (our events, partner events), the SES v2
 * configuration set whose event destination publishes delivery events to the account's default bus
 * (SES can publish to no other bus), and the End User Messaging SMS configuration set whose event
 * destination publishes SMS events to an SNS topic (its destinations are CloudWatch Logs, Firehose
 * or SNS; it never publishes them to EventBridge). docs/delivery-feedback.md.
 */
export class Messaging extends Construct {
  readonly bus: EventBus;
  /** The account's default bus, where SES and SMS delivery events arrive. */
  readonly defaultBus: IEventBus;
  readonly configurationSet: ConfigurationSet;
  readonly senderEmail: string;
  readonly smsOriginationIdentity: string | undefined;
  readonly smsMaxPerSecond: number;
  /** SMS delivery events (End User Messaging → SNS → delivery-events). */
  readonly smsEvents: Topic;
  /** The SMS configuration set every send names, so its events reach `smsEvents`. */
  readonly smsConfigurationSet: { name: string; arn: string };

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    this.smsOriginationIdentity = props.smsOriginationIdentity;
    this.smsMaxPerSecond = props.smsMaxPerSecond;
    this.bus = new EventBus(this, 'Bus', { description: 'Touchpoint: runs, partner events, touches' });
    this.defaultBus = EventBus.fromEventBusArn(
      this,
      'DefaultBus',
      Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
    );

    this.configurationSet = new ConfigurationSet(this, 'EmailConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    new ConfigurationSetEventDestination(this, 'EmailEventsToEventBridge', {
      configurationSet: this.configurationSet,
      destination: EventDestination.eventBus(this.defaultBus),
    });

    // SMS events: an SNS topic End User Messaging of this account may publish to, encrypted with a
    // key it may use (an AWS-managed SNS key cannot be granted to a service).
    const account = Stack.of(this).account;
    const fromSmsVoice = { StringEquals: { 'aws:SourceAccount': account } };
    const smsEventsKey = new Key(this, 'SmsEventsKey', {
      description: 'Touchpoint: SMS delivery events topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    smsEventsKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(SMS_VOICE)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromSmsVoice,
      }),
    );
    this.smsEvents = new Topic(this, 'SmsEvents', {
      displayName: 'Touchpoint SMS delivery events',
      masterKey: smsEventsKey,
      enforceSSL: true,
    });
    this.smsEvents.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(SMS_VOICE)],
        actions: ['sns:Publish'],
        resources: [this.smsEvents.topicArn],
        conditions: fromSmsVoice,
      }),
    );
    const smsConfigurationSet = new CfnSmsConfigurationSet(this, 'SmsConfigurationSet', {
      eventDestinations: [
        {
          eventDestinationName: 'DeliveryEventsToSns',
          enabled: true,
          // Every SMS event type: delivered, failed, blocked, unreachable, opted out…
          matchingEventTypes: ['TEXT_ALL'],
          snsDestination: { topicArn: this.smsEvents.topicArn },
        },
      ],
    });
    this.smsConfigurationSet = { name: smsConfigurationSet.ref, arn: smsConfigurationSet.attrArn };

    // An address identity would send a verification mail on every deploy; the domain one is opt-in.
    if (props.senderDomain !== undefined) {
      new EmailIdentity(this, 'SenderDomain', {
        identity: Identity.domain(props.senderDomain),
        configurationSet: this.configurationSet,
      });
    }
  }
}
