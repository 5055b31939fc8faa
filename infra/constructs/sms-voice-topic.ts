import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** End User Messaging's service principal: SMS events and the two-way channel publish as it. */
export const SMS_VOICE = 'sms-voice.amazonaws.com';
/** CloudWatch's service principal: alarm actions publish as it. */
export const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/**
 * An SNS topic an AWS service of this account publishes to (End User Messaging's SMS events and
 * inbound SMS, CloudWatch's alarms): TLS only, encrypted with a rotated key of its own that the
 * service may use. Not the AWS-managed `alias/aws/sns`: its key policy cannot be granted to a
 * service, so every publish would fail on KMS and nothing would say so (docs/security.md).
 * `<id>Key` and `<id>` in `scope`.
 */
export function serviceTopic(scope: Construct, id: string, displayName: string, service: string): Topic {
  const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } };
  const key = new Key(scope, `${id}Key`, {
    description: `Touchpoint: ${displayName}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(service)],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: fromThisAccount,
    }),
  );
  const topic = new Topic(scope, id, {
    displayName: `Touchpoint ${displayName}`,
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal(service)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromThisAccount,
    }),
  );
  return topic;
}

/** A topic End User Messaging of this account may publish to (SMS delivery events, inbound SMS). */
export function smsVoiceTopic(scope: Construct, id: string, displayName: string): Topic {
  return serviceTopic(scope, id, displayName, SMS_VOICE);
}
