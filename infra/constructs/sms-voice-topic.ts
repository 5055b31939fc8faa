import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** End User Messaging's service principal: SMS events and the two-way channel publish as it. */
export const SMS_VOICE = 'sms-voice.amazonaws.com';

/**
 * An SNS topic End User Messaging of this account may publish to (SMS delivery events, inbound
 * SMS): TLS only, encrypted with a rotated key of its own, since an AWS-managed SNS key cannot be
 * granted to a service. `<id>Key` and `<id>` in `scope`.
 */
export function smsVoiceTopic(scope: Construct, id: string, displayName: string): Topic {
  const fromSmsVoice = { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } };
  const key = new Key(scope, `${id}Key`, {
    description: `Touchpoint: ${displayName}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(SMS_VOICE)],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: fromSmsVoice,
    }),
  );
  const topic = new Topic(scope, id, {
    displayName: `Touchpoint ${displayName}`,
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(SMS_VOICE)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromSmsVoice,
    }),
  );
  return topic;
}
