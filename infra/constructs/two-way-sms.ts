import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { HouseFunction } from './house-function.js';
import { smsVoiceTopic } from './sms-voice-topic.js';

export interface TwoWaySmsProps {
  table: ITableV2;
  /** The number keyword answers go out from; undefined: messages are still recorded, not answered. */
  smsOriginationIdentity: string | undefined;
  smsMaxPerSecond: number;
}

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
    this.topic = smsVoiceTopic(this, 'InboundTopic', 'inbound SMS');

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
