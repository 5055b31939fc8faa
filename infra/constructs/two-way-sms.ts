import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { HouseFunction } from './house-function.js';

export interface TwoWaySmsProps {
  table: ITableV2;
  /** The number keyword answers go out from; undefined: messages are still recorded, not answered. */
  smsOriginationIdentity: string | undefined;
  smsMaxPerSecond: number;
}

/** End User Messaging's service principal: the phone number's two-way channel publishes as it. */
const SMS_VOICE = 'sms-voice.amazonaws.com';

/**
 * Inbound SMS (docs/two-way-sms.md): End User Messaging two-way → this SNS topic → inbound-sms,
 * which records STOP/START/HELP as consent and answers them, and any other text as an `sms.reply`
 * event. The operator turns two-way on for the phone number with this topic as its destination
 * (the stack output); the topic is encrypted with a key End User Messaging may use, and only
 * End User Messaging of this account may publish to it.
 */
export class TwoWaySms extends Construct {
  readonly topic: Topic;
  readonly fn: HouseFunction<'inbound-sms'>;

  constructor(scope: Construct, id: string, props: TwoWaySmsProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const key = new Key(this, 'TopicKey', {
      description: 'Touchpoint: inbound SMS topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An AWS-managed SNS key cannot be granted to a service: End User Messaging needs this one.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(SMS_VOICE)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'InboundTopic', {
      displayName: 'Touchpoint inbound SMS',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(SMS_VOICE)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );

    this.fn = new HouseFunction(this, 'InboundSms', {
      name: 'inbound-sms',
      description: 'Inbound SMS (two-way) → consent, keyword answers, sms.reply events',
      timeout: Duration.seconds(30),
    })
      .bindTable(props.table)
      .bindSms(props.smsOriginationIdentity, props.smsMaxPerSecond);
    this.topic.addSubscription(new LambdaSubscription(this.fn, { deadLetterQueue: this.fn.dlq }));
  }
}
