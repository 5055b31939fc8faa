import { Stack } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { CfnConfigurationSet as CfnSmsConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { smsVoiceTopic } from './sms-voice-topic.js';

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

    // SMS events: End User Messaging publishes them to an SNS topic (it cannot publish to a bus).
    this.smsEvents = smsVoiceTopic(this, 'SmsEvents', 'SMS delivery events');
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
